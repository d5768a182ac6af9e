import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import {
  CreatedWebhook,
  CreateWebhookRequest,
  ListWebhookDeliveriesQuery,
  MAX_WEBHOOKS_PER_USER,
  Principal,
  RedeliveryAccepted,
  UpdateWebhookRequest,
  WebhookDeliveryView,
  WebhookView,
} from '@ish/contracts';
import { WebhookAttemptEntity, WebhookDeliveryEntity, WebhookSubscriptionEntity } from '@ish/database';
import { ApiError, literalHostProblem } from '@ish/platform';
import { WebhookQueue } from '../webhook-queue';
import { WebhookSecrets } from '../webhook-secrets';
import { generateWebhookSecret } from '../webhook-signature';
import { WebhooksConfig } from '../webhooks.config';

const DEFAULT_DELIVERIES_LIMIT = 50;

/** Subscriptions of the calling user: each sees, changes and redelivers only its own (404 otherwise). */
@Injectable()
export class WebhookSubscriptionsService {
  private readonly logger = new Logger('Webhooks');

  constructor(
    @InjectRepository(WebhookSubscriptionEntity) private readonly subscriptions: Repository<WebhookSubscriptionEntity>,
    @InjectRepository(WebhookDeliveryEntity) private readonly deliveries: Repository<WebhookDeliveryEntity>,
    @InjectRepository(WebhookAttemptEntity) private readonly attempts: Repository<WebhookAttemptEntity>,
    private readonly config: WebhooksConfig,
    private readonly secrets: WebhookSecrets,
    private readonly queue: WebhookQueue,
  ) {}

  async create(owner: Principal, request: CreateWebhookRequest): Promise<CreatedWebhook> {
    this.checkTarget(request.url);
    const held = await this.subscriptions.countBy({ userId: owner.userId });
    if (held >= MAX_WEBHOOKS_PER_USER) throw ApiError.conflict(`A user holds at most ${MAX_WEBHOOKS_PER_USER} webhooks; delete one first`, 'too_many_webhooks');
    const secret = generateWebhookSecret();
    // the id is chosen here: the secret is sealed for its row
    const id = randomUUID();
    const entity = await this.subscriptions.save(
      this.subscriptions.create({
        id,
        userId: owner.userId,
        url: request.url,
        events: request.events,
        description: request.description ?? null,
        secretEncrypted: this.secrets.seal(secret, id),
      }),
    );
    this.logger.log({ webhookId: entity.id, userId: owner.userId, events: entity.events }, `webhook ${entity.id} created`);
    return { ...toView(entity), secret };
  }

  async list(owner: Principal): Promise<WebhookView[]> {
    const rows = await this.subscriptions.find({ where: { userId: owner.userId }, order: { createdAt: 'DESC' } });
    return rows.map(toView);
  }

  async get(owner: Principal, id: string): Promise<WebhookView> {
    return toView(await this.own(owner, id));
  }

  async update(owner: Principal, id: string, request: UpdateWebhookRequest): Promise<WebhookView> {
    const subscription = await this.own(owner, id);
    if (request.url !== undefined) {
      this.checkTarget(request.url);
      subscription.url = request.url;
    }
    if (request.events !== undefined) subscription.events = request.events;
    // a secret sealed before values were bound to their row (v1) is sealed again on this write
    if (this.secrets.isLegacy(subscription.secretEncrypted)) {
      try {
        subscription.secretEncrypted = this.secrets.seal(this.secrets.open(subscription.secretEncrypted, subscription.id), subscription.id);
      } catch {
        this.logger.warn({ webhookId: id }, 'the signing secret of this webhook cannot be opened; left as it is');
      }
    }
    if (request.description !== undefined) subscription.description = request.description;
    if (request.enabled === true && subscription.disabledAt) {
      Object.assign(subscription, { disabledAt: null, disabledReason: null, consecutiveFailures: 0, failingSince: null });
    } else if (request.enabled === false && !subscription.disabledAt) {
      Object.assign(subscription, { disabledAt: new Date(), disabledReason: 'disabled by its owner' });
    }
    return toView(await this.subscriptions.save(subscription));
  }

  async remove(owner: Principal, id: string): Promise<void> {
    const subscription = await this.own(owner, id);
    // its deliveries go with it (ON DELETE CASCADE); queued jobs find nothing and end
    await this.subscriptions.delete({ id: subscription.id });
    this.logger.log({ webhookId: id, userId: owner.userId }, `webhook ${id} deleted`);
  }

  async deliveriesOf(owner: Principal, id: string, query: ListWebhookDeliveriesQuery): Promise<WebhookDeliveryView[]> {
    const subscription = await this.own(owner, id);
    const rows = await this.deliveries.find({
      where: { subscriptionId: subscription.id, ...(query.status ? { status: query.status } : {}) },
      order: { createdAt: 'DESC' },
      take: query.limit ?? DEFAULT_DELIVERIES_LIMIT,
    });
    const attempts = rows.length ? await this.attempts.find({ where: { deliveryId: In(rows.map((r) => r.id)) }, order: { attempt: 'ASC' } }) : [];
    return rows.map((delivery) => toDeliveryView(delivery, attempts.filter((a) => a.deliveryId === delivery.id)));
  }

  /** A new series of attempts for the same delivery (same webhook-id), starting now. */
  async redeliver(owner: Principal, id: string, deliveryId: string): Promise<RedeliveryAccepted> {
    const subscription = await this.own(owner, id);
    if (subscription.disabledAt) throw ApiError.conflict('This webhook is disabled; enable it (PATCH {"enabled": true}) before redelivering', 'webhook_disabled');
    const rows = (await this.deliveries.query(
      `UPDATE webhook_deliveries
          SET status = 'pending', series = series + 1, next_attempt_at = now(), delivered_at = NULL, updated_at = now()
        WHERE id = $1 AND subscription_id = $2
      RETURNING id`,
      [deliveryId, subscription.id],
    )) as [{ id: string }[], number];
    if (!rows[0]?.length) throw ApiError.notFound('No such delivery', 'delivery_not_found');
    await this.queue.restart(deliveryId);
    this.logger.log({ webhookId: id, deliveryId, userId: owner.userId }, `delivery ${deliveryId} redelivered`);
    return { id: deliveryId, status: 'pending' };
  }

  private async own(owner: Principal, id: string): Promise<WebhookSubscriptionEntity> {
    const subscription = await this.subscriptions.findOneBy({ id, userId: owner.userId });
    if (!subscription) throw ApiError.notFound('No such webhook', 'webhook_not_found');
    return subscription;
  }

  /** a literal address the worker would refuse is refused here already (host names are checked at each send) */
  private checkTarget(url: string): void {
    const problem = literalHostProblem(new URL(url).hostname, { allowPrivateNetworks: this.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS, setting: 'WEBHOOK_ALLOW_PRIVATE_NETWORKS' });
    if (problem) throw ApiError.badRequest('validation_failed', `Invalid request: check url`, [{ field: 'url', message: `url must not point at ${problem}` }]);
  }
}

function toView(entity: WebhookSubscriptionEntity): WebhookView {
  return {
    id: entity.id,
    url: entity.url,
    events: entity.events,
    description: entity.description,
    status: entity.disabledAt ? 'disabled' : 'active',
    disabledAt: entity.disabledAt?.toISOString() ?? null,
    disabledReason: entity.disabledReason,
    createdAt: entity.createdAt.toISOString(),
  };
}

function toDeliveryView(delivery: WebhookDeliveryEntity, attempts: WebhookAttemptEntity[]): WebhookDeliveryView {
  return {
    id: delivery.id,
    eventType: delivery.eventType,
    status: delivery.status,
    attemptCount: delivery.attempts,
    nextAttemptAt: delivery.status === 'pending' ? (delivery.nextAttemptAt?.toISOString() ?? null) : null,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
    payload: { type: delivery.eventType, timestamp: delivery.occurredAt.toISOString(), data: delivery.payload },
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      series: a.series,
      statusCode: a.statusCode,
      latencyMs: a.latencyMs,
      responseExcerpt: a.responseExcerpt,
      error: a.error,
      createdAt: a.createdAt.toISOString(),
    })),
  };
}
