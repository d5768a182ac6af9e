import { Logger } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { QUEUES, WebhookDeliveryJob } from '@ish/contracts';
import { JobHandler, JobProcessor, OnJobFailed } from '@ish/jobs';
import { WebhookDeliveryService } from '@ish/webhooks';

/**
 * Runs `webhooks` jobs: one attempt each time the job runs. A retry moves the same job (same id, the
 * delivery id) to BullMQ's delayed set until its backoff is over, so a retry outlives every worker
 * process: whichever worker runs when it is due takes it.
 */
@JobProcessor(QUEUES.webhooks)
export class WebhookDeliveryProcessor {
  private readonly logger = new Logger('WebhookJobs');

  constructor(private readonly deliveries: WebhookDeliveryService) {}

  @JobHandler()
  async process(job: Job<WebhookDeliveryJob>, token?: string): Promise<void> {
    const outcome = await this.deliveries.attempt(job.data.deliveryId);
    if (outcome.next === 'retry') {
      await job.moveToDelayed(Date.now() + outcome.delayMs, token);
      throw new DelayedError();
    }
  }

  /** the processor itself kept failing (database or Redis away): the delivery is given up */
  @OnJobFailed()
  async abandon(job: Job<WebhookDeliveryJob>, error: Error): Promise<void> {
    await this.deliveries.abandon(job.data.deliveryId, error.message).catch((e: Error) => this.logger.error(`could not mark delivery ${job.id} failed: ${e.message}`));
  }
}
