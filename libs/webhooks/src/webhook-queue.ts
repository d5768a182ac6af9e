import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JOBS, QUEUES, WebhookDeliveryJob } from '@ish/contracts';
import { JOB_OPTIONS, JobProducer, JobQueues } from '@ish/jobs';

/**
 * The `webhooks` BullMQ queue, one job per delivery with the delivery id as job id: adding a delivery
 * that already has a job is a no-op, so a redelivered event never makes a second job. Retries of a
 * delivery are the same job moved to the delayed set, kept in Redis when every worker is gone.
 */
@Injectable()
export class WebhookQueue {
  readonly queue: Queue<WebhookDeliveryJob>;

  constructor(
    queues: JobQueues,
    private readonly jobs: JobProducer,
  ) {
    this.queue = queues.get<WebhookDeliveryJob>(QUEUES.webhooks);
  }

  async enqueue(deliveryIds: string[]): Promise<void> {
    await this.jobs.addBulk<WebhookDeliveryJob>(
      QUEUES.webhooks,
      deliveryIds.map((deliveryId) => ({ name: JOBS.webhookDeliver, data: { deliveryId }, options: JOB_OPTIONS.webhook(deliveryId) })),
    );
  }

  /** Runs a delivery again now: a waiting retry is promoted, a finished job is replaced by a fresh one. */
  async restart(deliveryId: string): Promise<void> {
    const job = await this.queue.getJob(deliveryId);
    if (job) {
      const state = await job.getState();
      if (state === 'delayed') {
        await job.promote();
        return;
      }
      if (state === 'waiting' || state === 'active' || state === 'prioritized' || state === 'waiting-children') return;
      await job.remove();
    }
    await this.enqueue([deliveryId]);
  }

  /** deliveries waiting for a worker or for their next retry */
  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'prioritized', 'delayed');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }
}
