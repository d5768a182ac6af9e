import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { QUEUES, WebhookDeliveryJob } from '@ish/contracts';
import { WebhookDeliveryService } from '@ish/webhooks';
import { ConsumerRegistry } from '../consumers/consumer-registry';
import { isFinalFailure } from '../consumers/is-final-failure';

/**
 * Runs `webhooks` jobs: one attempt each time the job runs. A retry moves the same job (same id, the
 * delivery id) to BullMQ's delayed set until its backoff is over, so a retry outlives every worker
 * process: whichever worker runs when it is due takes it.
 */
@Injectable()
export class WebhookDeliveryProcessor implements OnModuleInit {
  private readonly logger = new Logger('WebhookJobs');

  constructor(
    private readonly registry: ConsumerRegistry,
    private readonly deliveries: WebhookDeliveryService,
  ) {}

  onModuleInit(): void {
    const worker = this.registry.register(QUEUES.webhooks, (job: Job<WebhookDeliveryJob>, token?: string) => this.process(job, token));
    worker.on('failed', (job: Job<WebhookDeliveryJob> | undefined, error: Error) => {
      if (!job || error instanceof DelayedError) return;
      if (!isFinalFailure(job, error)) {
        this.logger.warn(`webhook job ${job.id} could not run (${error.message}); retried`);
        return;
      }
      void this.deliveries.abandon(job.data.deliveryId, error.message).catch((e: Error) => this.logger.error(`could not mark delivery ${job.id} failed: ${e.message}`));
    });
  }

  async process(job: Job<WebhookDeliveryJob>, token?: string): Promise<void> {
    const outcome = await this.deliveries.attempt(job.data.deliveryId);
    if (outcome.next === 'retry') {
      await job.moveToDelayed(Date.now() + outcome.delayMs, token);
      throw new DelayedError();
    }
  }
}
