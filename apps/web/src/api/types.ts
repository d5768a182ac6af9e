// The API's shapes, from the contracts the services validate with (types only: nothing of
// libs/contracts reaches the bundle), plus the few the services declare for themselves.
import type { ProviderType, RoutingStrategy, Scope, WebhookEventFilter } from '@ish/contracts';

export type {
  AndroidStatus,
  CreatedWebhook,
  DeviceView,
  ExecuteResult,
  HealthCheckResult,
  InstanceView,
  JobView,
  ProviderType,
  RoutingPolicyView,
  RoutingStrategy,
  ScalingEventView,
  Scope,
  WebhookDeliveryView,
  WebhookEventFilter,
  WebhookView,
} from '@ish/contracts';

/** `GET`/`PUT /api/v1/instances/scaling` */
export interface ScalingPolicyView {
  enabled: boolean;
  scaleUpUtilization: number;
  scaleDownUtilization: number;
  cooldownSeconds: number;
  minActive: number;
}

/** `GET /api/v1/auth/api-keys` (auth's view; dates as JSON strings) */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  rateLimitPerMinute: number;
  /** null: every model */
  allowedModels: string[] | null;
  /** prompt + completion tokens per minute; null or 0: no limit */
  tokensPerMinute: number | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKey extends ApiKeyView {
  key: string;
}

export interface ModelList {
  object: 'list';
  data: { id: string; object: 'model'; owned_by: string }[];
}

/** Lists the console offers; the compiler checks each against the contract's union. */
const all =
  <T extends string>() =>
  <L extends readonly T[]>(list: L & ([T] extends [L[number]] ? unknown : { missing: Exclude<T, L[number]> })) =>
    list;

export const SCOPES = all<Scope>()(['chat', 'instances:read', 'instances:write', 'android:read', 'android:execute', 'webhooks', 'admin'] as const);
export const PROVIDER_TYPES = all<ProviderType>()(
  ['openai-compatible', 'openai', 'anthropic', 'gemini', 'azure-openai', 'zai', 'perplexity', 'groq', 'mistral', 'deepseek', 'openrouter', 'together', 'ollama'] as const,
);
/** the `anthropic-version`s an Anthropic instance may speak (the first is the default) */
export const ANTHROPIC_VERSIONS = ['2026-10-21', '2023-06-01'] as const;
export const ROUTING_STRATEGIES = all<RoutingStrategy>()(['least-latency', 'least-connections', 'weighted-round-robin', 'priority-failover'] as const);
export const WEBHOOK_EVENTS = all<WebhookEventFilter>()(['job.completed', 'job.failed', 'instance.status_changed', 'device.state_changed', 'budget.warning', 'budget.exceeded', '*'] as const);
