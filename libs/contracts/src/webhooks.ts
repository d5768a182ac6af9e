import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, registerDecorator, ValidationOptions } from 'class-validator';
import { WEBHOOK_EVENTS } from './messaging';
import type { EventEnvelope } from './relay';
import { IsOmittable } from './validation/omittable';
import { outboundUrlProblem } from './validation/outbound-url';

/** An event a subscription can ask for (API.md "Webhooks"). */
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** What `events` of a subscription may list: an event name, or `*` for all of them. */
export const WEBHOOK_EVENT_FILTERS = [...WEBHOOK_EVENTS, '*'] as const;
export type WebhookEventFilter = (typeof WEBHOOK_EVENT_FILTERS)[number];

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** Subscriptions one user may hold: every event is fanned out to each of them. */
export const MAX_WEBHOOKS_PER_USER = 50;

/** Header names of the Standard Webhooks signature. */
export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

/** Why `value` is not an acceptable webhook endpoint, or null: an http(s) URL, no credentials, not link-local / metadata. */
export function webhookUrlProblem(value: unknown): string | null {
  if (typeof value === 'string') {
    try {
      const url = new URL(value);
      if (url.username || url.password) return 'must not carry credentials';
    } catch {
      /* outboundUrlProblem explains */
    }
  }
  return outboundUrlProblem(value);
}

/** class-validator: a webhook endpoint URL (see webhookUrlProblem) */
export function IsWebhookUrl(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isWebhookUrl',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => webhookUrlProblem(value) === null,
        defaultMessage: (args) => `${args?.property} ${webhookUrlProblem(args?.value) ?? 'is invalid'}`,
      },
    });
}

const EVENTS_MESSAGE = `each event must be one of: ${WEBHOOK_EVENT_FILTERS.join(', ')}`;

/** `POST /api/v1/webhooks` */
export class CreateWebhookRequest {
  @IsWebhookUrl() url: string;
  @IsArray() @ArrayNotEmpty({ message: 'events must list at least one event' }) @ArrayMaxSize(WEBHOOK_EVENT_FILTERS.length) @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_FILTERS, { each: true, message: EVENTS_MESSAGE })
  events: WebhookEventFilter[];
  @IsOptional() @IsString() @MaxLength(500) description?: string;
}

/** `PATCH /api/v1/webhooks/{id}`: `enabled: true` brings a disabled endpoint back (its failure counters start over). */
export class UpdateWebhookRequest {
  @IsOmittable() @IsWebhookUrl() url?: string;
  @IsOmittable() @IsArray() @ArrayNotEmpty({ message: 'events must list at least one event' }) @ArrayMaxSize(WEBHOOK_EVENT_FILTERS.length) @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_FILTERS, { each: true, message: EVENTS_MESSAGE })
  events?: WebhookEventFilter[];
  @IsOptional() @IsString() @MaxLength(500) description?: string;
  @IsOmittable() @IsBoolean() enabled?: boolean;
}

/** `GET /api/v1/webhooks/{id}/deliveries?status&limit` */
export class ListWebhookDeliveriesQuery {
  @IsOptional() @IsIn(WEBHOOK_DELIVERY_STATUSES) status?: WebhookDeliveryStatus;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
}

/** A subscription as the API shows it; the secret only in the answer to its creation. */
export interface WebhookView {
  id: string;
  url: string;
  events: WebhookEventFilter[];
  description: string | null;
  status: 'active' | 'disabled';
  /** set while disabled: when and why (e.g. failing for too long) */
  disabledAt: string | null;
  disabledReason: string | null;
  createdAt: string;
}

export interface CreatedWebhook extends WebhookView {
  /** `whsec_<base64>`: the Standard Webhooks signing secret, shown once */
  secret: string;
}

/** One HTTP call of a delivery. */
export interface WebhookAttemptView {
  /** 1, 2, … over the delivery's life (a redelivery continues the count) */
  attempt: number;
  /** 1 for the first series, 2 for the first redelivery, … */
  series: number;
  /** the receiver's status code; null when no answer came (timeout, connection refused, refused target) */
  statusCode: number | null;
  latencyMs: number;
  /** the start of the receiver's answer body */
  responseExcerpt: string | null;
  error: string | null;
  createdAt: string;
}

/** One event for one subscription; its id is the `webhook-id` header of every attempt. */
export interface WebhookDeliveryView {
  id: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  attemptCount: number;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  /** the body sent: `{"type","timestamp","data"}` */
  payload: EventEnvelope;
  /** oldest first */
  attempts: WebhookAttemptView[];
}

/** `POST …/redeliver` → 202 */
export interface RedeliveryAccepted {
  id: string;
  status: 'pending';
}

/** What a `webhook.deliver` job (queue `webhooks`, job id = delivery id) carries; the rest is in PostgreSQL. */
export interface WebhookDeliveryJob {
  deliveryId: string;
}

/** Event `webhook.endpoint_disabled`: an endpoint failed for too long and gets no more deliveries until re-enabled. */
export interface WebhookEndpointDisabled {
  subscriptionId: string;
  userId: string;
  url: string;
  reason: string;
  consecutiveFailures: number;
  failingSince: string | null;
  disabledAt: string;
}
