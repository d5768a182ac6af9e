import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { EVENTS, EventEnvelope, WebhookDeliveryStatus, WebhookEndpointDisabled } from '@ish/contracts';
import { WebhookAttemptEntity, WebhookDeliveryEntity, WebhookSubscriptionEntity } from '@ish/database';
import { AmqpClient } from '@ish/platform';
import { disableReason } from './disable-policy';
import { retryDelayMs } from './retry-schedule';
import { WebhookMetrics } from './webhook.metrics';
import { WebhookSecrets } from './webhook-secrets';
import { sendWebhook, WebhookSendResult } from './webhook-sender';
import { webhookHeaders } from './webhook-signature';
import { WebhooksConfig } from './webhooks.config';

/** What the queue should do with a delivery after one attempt. */
export type AttemptOutcome = { next: 'done' } | { next: 'retry'; delayMs: number };

/**
 * One attempt of one delivery: sign (same webhook-id on every attempt, fresh timestamp and signature),
 * send, record the attempt, and decide — delivered, retry after the backoff, or failed when the series
 * is used up. A failed delivery counts against its endpoint, which is disabled once the policy says so.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger('WebhookDelivery');

  constructor(
    @InjectRepository(WebhookDeliveryEntity) private readonly deliveries: Repository<WebhookDeliveryEntity>,
    @InjectRepository(WebhookSubscriptionEntity) private readonly subscriptions: Repository<WebhookSubscriptionEntity>,
    @InjectRepository(WebhookAttemptEntity) private readonly attempts: Repository<WebhookAttemptEntity>,
    private readonly config: WebhooksConfig,
    private readonly secrets: WebhookSecrets,
    private readonly metrics: WebhookMetrics,
    private readonly amqp: AmqpClient,
  ) {}

  async attempt(deliveryId: string): Promise<AttemptOutcome> {
    const delivery = await this.deliveries.findOneBy({ id: deliveryId });
    // gone with its subscription, or already settled by an earlier run of this job
    if (!delivery || delivery.status !== 'pending') return { next: 'done' };
    const subscription = await this.subscriptions.findOneBy({ id: delivery.subscriptionId });
    if (!subscription) return { next: 'done' };
    if (subscription.disabledAt) {
      await this.deliveries.update({ id: delivery.id, status: 'pending' }, { status: 'failed', nextAttemptAt: null });
      this.logger.log(`delivery ${delivery.id} not sent: endpoint ${subscription.id} is disabled`);
      return { next: 'done' };
    }

    const inSeries = await this.attempts.countBy({ deliveryId: delivery.id, series: delivery.series });
    const result = await this.send(delivery, subscription);
    this.metrics.recordAttempt(result.ok, result.latencyMs);

    const delayMs = result.ok ? null : retryDelayMs(inSeries + 1, this.config.retryPolicy());
    const status: WebhookDeliveryStatus = result.ok ? 'delivered' : delayMs === null ? 'failed' : 'pending';
    const stored = await this.record(delivery, result, status, delayMs);
    this.logger.debug(`delivery ${delivery.id} attempt ${inSeries + 1} of series ${delivery.series}: ${result.statusCode ?? result.error} → ${stored ?? 'settled meanwhile'}`);
    if (stored === null) return { next: 'done' };
    // a failed attempt of a series that a redelivery replaced meanwhile: the new series starts now
    if (stored === 'pending') return { next: 'retry', delayMs: status === 'pending' ? delayMs! : 0 };

    this.metrics.recordDelivery(stored);
    if (stored === 'delivered') await this.endpointSucceeded(subscription.id);
    else await this.endpointFailed(subscription, delivery.id);
    return { next: 'done' };
  }

  /** A job the queue gave up on (its processor kept failing, or its workers kept dying): the delivery fails. */
  async abandon(deliveryId: string, reason: string): Promise<void> {
    const { affected } = await this.deliveries.update({ id: deliveryId, status: 'pending' }, { status: 'failed', nextAttemptAt: null });
    if (affected) {
      this.metrics.recordDelivery('failed');
      this.logger.warn(`delivery ${deliveryId} failed: ${reason}`);
    }
  }

  private async send(delivery: WebhookDeliveryEntity, subscription: WebhookSubscriptionEntity): Promise<WebhookSendResult> {
    const envelope: EventEnvelope = { type: delivery.eventType, timestamp: delivery.occurredAt.toISOString(), data: delivery.payload };
    const body = JSON.stringify(envelope);
    let secret: string;
    try {
      secret = this.secrets.open(subscription.secretEncrypted, subscription.id);
    } catch {
      return { ok: false, statusCode: null, latencyMs: 0, responseExcerpt: null, error: 'the signing secret cannot be opened (INSTANCE_KEY_ENCRYPTION_KEY differs from the one it was sealed with)' };
    }
    return sendWebhook(subscription.url, body, webhookHeaders(secret, delivery.id, body), {
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      allowPrivateNetworks: this.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    });
  }

  /**
   * The attempt and the delivery's new state, in one transaction. Answers the state stored, or null
   * when the delivery was settled meanwhile. A redelivery asked for during the attempt (a new series)
   * keeps a failed delivery pending.
   */
  private async record(delivery: WebhookDeliveryEntity, result: WebhookSendResult, status: WebhookDeliveryStatus, delayMs: number | null): Promise<WebhookDeliveryStatus | null> {
    return this.deliveries.manager.transaction(async (manager) => {
      const rows = (await manager.query(
        `UPDATE webhook_deliveries
            SET attempts = attempts + 1, last_attempt_at = now(), updated_at = now(),
                status = CASE WHEN $2::text = 'delivered' OR series = $4::int THEN $2::text ELSE 'pending' END,
                next_attempt_at = CASE
                  WHEN $2::text = 'delivered' THEN NULL
                  WHEN series <> $4::int THEN now()
                  WHEN $3::int IS NULL THEN NULL
                  ELSE now() + make_interval(secs => $3::int / 1000.0) END,
                delivered_at = CASE WHEN $2::text = 'delivered' THEN now() ELSE delivered_at END
          WHERE id = $1 AND status = 'pending'
        RETURNING attempts, status`,
        [delivery.id, status, delayMs, delivery.series],
      )) as [{ attempts: number; status: WebhookDeliveryStatus }[], number];
      const updated = rows[0]?.[0];
      if (!updated) return null;
      await manager.insert(WebhookAttemptEntity, {
        deliveryId: delivery.id,
        series: delivery.series,
        attempt: updated.attempts,
        statusCode: result.statusCode,
        latencyMs: result.latencyMs,
        responseExcerpt: result.responseExcerpt,
        error: result.error,
      });
      return updated.status;
    });
  }

  private async endpointSucceeded(subscriptionId: string): Promise<void> {
    await this.subscriptions.update({ id: subscriptionId }, { consecutiveFailures: 0, failingSince: null, lastSuccessAt: () => 'now()' });
  }

  private async endpointFailed(subscription: WebhookSubscriptionEntity, deliveryId: string): Promise<void> {
    const rows = (await this.subscriptions.query(
      `UPDATE webhook_subscriptions
          SET consecutive_failures = consecutive_failures + 1, failing_since = COALESCE(failing_since, now()), updated_at = now()
        WHERE id = $1
      RETURNING consecutive_failures, failing_since`,
      [subscription.id],
    )) as [{ consecutive_failures: number; failing_since: Date | null }[], number];
    const record = rows[0]?.[0];
    this.logger.warn(`delivery ${deliveryId} to endpoint ${subscription.id} failed after its last attempt`);
    if (!record) return;
    const reason = disableReason({ consecutiveFailures: record.consecutive_failures, failingSince: record.failing_since }, this.config.disablePolicy());
    if (reason) await this.disable(subscription, reason);
  }

  private async disable(subscription: WebhookSubscriptionEntity, reason: string): Promise<void> {
    const rows = (await this.subscriptions.query(
      `UPDATE webhook_subscriptions SET disabled_at = now(), disabled_reason = $2, updated_at = now()
        WHERE id = $1 AND disabled_at IS NULL
      RETURNING consecutive_failures, failing_since, disabled_at`,
      [subscription.id, reason.slice(0, 200)],
    )) as [{ consecutive_failures: number; failing_since: Date | null; disabled_at: Date }[], number];
    const disabled = rows[0]?.[0];
    // another worker disabled it first
    if (!disabled) return;
    const event: WebhookEndpointDisabled = {
      subscriptionId: subscription.id,
      userId: subscription.userId,
      url: subscription.url,
      reason,
      consecutiveFailures: disabled.consecutive_failures,
      failingSince: disabled.failing_since ? new Date(disabled.failing_since).toISOString() : null,
      disabledAt: new Date(disabled.disabled_at).toISOString(),
    };
    this.logger.warn({ event: EVENTS.webhookEndpointDisabled, subscriptionId: subscription.id, userId: subscription.userId, reason }, `webhook endpoint ${subscription.id} disabled: ${reason}`);
    await this.amqp.publishEvent(EVENTS.webhookEndpointDisabled, event).catch((error: unknown) => this.logger.error(`could not publish ${EVENTS.webhookEndpointDisabled}: ${(error as Error).message}`));
  }
}
