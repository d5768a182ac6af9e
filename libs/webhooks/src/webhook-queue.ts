import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JOBS, QUEUES, WebhookDeliveryJob } from '@ish/contracts';
import { PlatformConfig, bullConnection } from '@ish/platform';

/** Jobs whose processor itself failed (database or Redis away), not the receiver: retried apart from the delivery's own schedule. */
const INFRASTRUCTURE_RETRIES = { attempts: 10, backoff: { type: 'exponential', delay: 5000 } };

/**
 * The `webhooks` BullMQ queue, one job per delivery with the delivery id as job id: adding a delivery
 * that already has a job is a no-op, so a redelivered event never makes a second job. Retries of a
 * delivery are the same job moved to the delayed set, kept in Redis when every worker is gone.
 */
@Injectable()
export class WebhookQueue implements OnApplicationShutdown {
  private readonly logger = new Logger('WebhookQueue');
  readonly queue: Queue<WebhookDeliveryJob>;

  constructor(config: PlatformConfig) {
    this.queue = new Queue<WebhookDeliveryJob>(QUEUES.webhooks, { connection: bullConnection(config.REDIS_URL) });
    this.queue.on('error', (error) => this.logger.warn(`queue ${QUEUES.webhooks}: ${error.message}`));
  }

  async enqueue(deliveryIds: string[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.queue.addBulk(
      deliveryIds.map((deliveryId) => ({
        name: JOBS.webhookDeliver,
        data: { deliveryId },
        opts: { jobId: deliveryId, removeOnComplete: true, removeOnFail: { age: 7 * 86_400 }, ...INFRASTRUCTURE_RETRIES },
      })),
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

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch(() => undefined);
  }
}
