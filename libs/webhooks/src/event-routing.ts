import { EVENTS, WEBHOOK_EVENTS, WebhookEventFilter, WebhookEventType } from '@ish/contracts';

/** events that belong to one user, named by `userId` in the payload (which their `data` leaves out) */
const USER_EVENTS: readonly string[] = [EVENTS.jobCompleted, EVENTS.jobFailed, EVENTS.budgetWarning, EVENTS.budgetExceeded];

export interface RoutedEvent {
  /** whose subscriptions get it; null: a system event, for admins' subscriptions */
  ownerUserId: string | null;
  /** the envelope's `data` */
  data: Record<string, unknown>;
}

export function isWebhookEvent(type: string): type is WebhookEventType {
  return (WEBHOOK_EVENTS as readonly string[]).includes(type);
}

/**
 * Who receives a domain event and what its `data` is. A job event belongs to its user and carries
 * `jobId`, `type`, `status`, `result` | `error` (never `userId`); a budget event belongs to the key's
 * owner (or the budgeted user) likewise; instance and device events are the system's. Null when the
 * event is not one webhooks carry or a user's event names no user.
 */
export function routeWebhookEvent(type: string, payload: unknown): RoutedEvent | null {
  if (!isWebhookEvent(type) || typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  if (USER_EVENTS.includes(type)) {
    const { userId, ...data } = payload as Record<string, unknown>;
    if (typeof userId !== 'string' || userId.length === 0) return null;
    return { ownerUserId: userId, data };
  }
  return { ownerUserId: null, data: payload as Record<string, unknown> };
}

/** whether a subscription listing `events` wants an event of `type` */
export function subscriptionWants(events: readonly WebhookEventFilter[], type: string): boolean {
  return events.includes('*') || (events as readonly string[]).includes(type);
}
