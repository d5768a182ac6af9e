/**
 * Names of everything that travels over RabbitMQ. Request/reply patterns are answered by exactly one
 * replica of the owning service; events are published to a topic exchange and fanned out.
 */
export const EXCHANGES = {
  /** topic exchange for domain events */
  events: 'ish.events',
  /** direct exchange for request/reply */
  rpc: 'ish.rpc',
  /** where poison or exhausted messages end up */
  deadLetter: 'ish.dlx',
} as const;

export const DEAD_LETTER_QUEUE = 'ish.dead-letter';

/** Request/reply patterns, named `<owning service>.<verb>`. */
export const RPC = {
  instancesListRoutable: 'instance-manager.list-routable',
  authVerifyCredential: 'auth.verify-credential',
  authUserModels: 'auth.user-models',
} as const;
export type RpcPattern = (typeof RPC)[keyof typeof RPC];

/** Domain events. */
export const EVENTS = {
  jobCompleted: 'job.completed',
  jobFailed: 'job.failed',
  instanceStatusChanged: 'instance.status_changed',
  deviceStateChanged: 'device.state_changed',
  routingTableUpdated: 'routing.table_updated',
  credentialRevoked: 'credential.revoked',
  credentialChanged: 'credential.changed',
  webhookEndpointDisabled: 'webhook.endpoint_disabled',
  budgetWarning: 'budget.warning',
  budgetExceeded: 'budget.exceeded',
} as const;
export type EventName = (typeof EVENTS)[keyof typeof EVENTS];

/** Events that webhook subscribers may ask for (API.md, Webhooks). */
export const WEBHOOK_EVENTS = [EVENTS.jobCompleted, EVENTS.jobFailed, EVENTS.instanceStatusChanged, EVENTS.deviceStateChanged, EVENTS.budgetWarning, EVENTS.budgetExceeded] as const;

/** Header names carried on every AMQP message. */
export const AMQP_HEADERS = {
  requestId: 'x-request-id',
} as const;
