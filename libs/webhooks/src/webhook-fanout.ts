import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { WebhookDeliveryEntity } from '@ish/database';
import { routeWebhookEvent } from './event-routing';
import { WebhookQueue } from './webhook-queue';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DomainEvent {
  type: string;
  /** stable across redeliveries of the message (domainEventId) */
  eventId: string;
  occurredAt: Date;
  payload: unknown;
}

/**
 * Turns a domain event into one delivery per matching active subscription — the owner's for a job
 * event, the admins' for a system event — stored first, then queued. Safe to run twice for one event
 * (at-least-once consumption): rows are unique per (subscription, event) and jobs per delivery id, and
 * the deliveries still pending are queued again in case the first run stopped in between.
 */
@Injectable()
export class WebhookFanout {
  private readonly logger = new Logger('WebhookFanout');

  constructor(
    @InjectRepository(WebhookDeliveryEntity) private readonly deliveries: Repository<WebhookDeliveryEntity>,
    private readonly queue: WebhookQueue,
  ) {}

  /** the number of deliveries queued for the event */
  async fanOut(event: DomainEvent): Promise<number> {
    const routed = routeWebhookEvent(event.type, event.payload);
    if (!routed) return 0;
    if (routed.ownerUserId !== null && !UUID.test(routed.ownerUserId)) {
      this.logger.warn(`${event.type} ${event.eventId} names no valid user; no webhooks`);
      return 0;
    }
    await this.deliveries.query(
      `INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, payload, occurred_at)
       SELECT s.id, $1::text, $2::text, $3::jsonb, $4::timestamptz
         FROM webhook_subscriptions s JOIN users u ON u.id = s.user_id
        WHERE s.disabled_at IS NULL AND NOT u.disabled
          AND (s.events @> jsonb_build_array($2::text) OR s.events @> '["*"]'::jsonb)
          AND (CASE WHEN $5::uuid IS NULL THEN u.role = 'admin' ELSE s.user_id = $5::uuid END)
       ON CONFLICT (subscription_id, event_id) DO NOTHING`,
      [event.eventId, event.type, JSON.stringify(routed.data), event.occurredAt, routed.ownerUserId],
    );
    const pending = (await this.deliveries.query(`SELECT id FROM webhook_deliveries WHERE event_id = $1 AND status = 'pending'`, [event.eventId])) as { id: string }[];
    await this.queue.enqueue(pending.map((row) => row.id));
    if (pending.length > 0) this.logger.debug(`${event.type} ${event.eventId}: ${pending.length} webhook deliveries queued`);
    return pending.length;
  }
}
