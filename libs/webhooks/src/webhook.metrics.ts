import { Injectable } from '@nestjs/common';
import { defineCounter, defineGauge, defineHistogram, withTimeout } from '@ish/platform';
import { WebhookQueue } from './webhook-queue';

/**
 * Webhook metrics of a worker process (docker/prometheus/alerts.yml alerts on them):
 * `webhook_deliveries_total{outcome}` (delivered | failed), `webhook_delivery_attempts_total{outcome}`
 * (success | failure), `webhook_delivery_attempt_duration_seconds`, and `webhook_queue_depth`
 * (waiting + delayed jobs of the `webhooks` queue, read from Redis at each scrape).
 */
@Injectable()
export class WebhookMetrics {
  readonly deliveries = defineCounter({ name: 'webhook_deliveries_total', help: 'Webhook deliveries finished, by outcome (delivered | failed)', labelNames: ['outcome'] as const });

  readonly attempts = defineCounter({ name: 'webhook_delivery_attempts_total', help: 'Webhook delivery attempts, by outcome (success | failure)', labelNames: ['outcome'] as const });

  readonly attemptDuration = defineHistogram({
    name: 'webhook_delivery_attempt_duration_seconds',
    help: 'Duration of one webhook delivery attempt (DNS, connect, answer) in seconds',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });

  constructor(queue: WebhookQueue) {
    defineGauge({
      name: 'webhook_queue_depth',
      help: 'Webhook deliveries waiting for a worker or for their next retry (waiting + delayed jobs of the webhooks queue)',
      async collect() {
        // Redis away or hanging: the last value stands, and the scrape still answers in time
        await withTimeout(queue.depth(), 1000, 'webhooks queue depth').then((depth) => this.set(depth), () => undefined);
      },
    });
    // every outcome exists from the start, so rates and ratios are defined before the first event
    for (const outcome of ['delivered', 'failed']) this.deliveries.inc({ outcome }, 0);
    for (const outcome of ['success', 'failure']) this.attempts.inc({ outcome }, 0);
  }

  recordAttempt(ok: boolean, latencyMs: number): void {
    this.attempts.inc({ outcome: ok ? 'success' : 'failure' });
    this.attemptDuration.observe(latencyMs / 1000);
  }

  recordDelivery(outcome: 'delivered' | 'failed'): void {
    this.deliveries.inc({ outcome });
  }
}
