import { IsInt, Max, Min } from 'class-validator';
import { ConfigPart, envBoolean } from '@ish/platform';
import type { DisablePolicy } from './disable-policy';
import type { RetryPolicy } from './retry-schedule';

/**
 * Webhook settings, read by the apps that serve subscriptions (auth) and deliver them (worker), beside
 * InstanceKeyConfig (signing secrets are sealed with a key derived from it). See `.env.example`, section "webhooks".
 */
@ConfigPart()
export class WebhooksConfig {
  /** one attempt (DNS, connect, answer) gives up after this long */
  @IsInt() @Min(100) @Max(120_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** attempts of one delivery before it is marked failed (API.md: at least 5) */
  @IsInt() @Min(5) @Max(30)
  WEBHOOK_MAX_ATTEMPTS = 8;

  /** the delay after the first failed attempt; each next one is 4 times longer (with jitter) */
  @IsInt() @Min(10) @Max(3_600_000)
  WEBHOOK_BACKOFF_BASE_MS = 5000;

  /** no delay between attempts grows past this */
  @IsInt() @Min(100) @Max(86_400_000)
  WEBHOOK_BACKOFF_MAX_MS = 21_600_000;

  /**
   * whether endpoints on loopback and private ranges may receive webhooks (link-local and metadata never
   * may); off unless a deployment opts in, since any user may name a webhook URL
   */
  @envBoolean()
  WEBHOOK_ALLOW_PRIVATE_NETWORKS = false;

  /** an endpoint whose deliveries failed this many times in a row is disabled (0: never for this reason) */
  @IsInt() @Min(0) @Max(100_000)
  WEBHOOK_DISABLE_AFTER_FAILURES = 10;

  /** an endpoint failing for this many hours with no success in between is disabled (0: never for this reason) */
  @IsInt() @Min(0) @Max(8760)
  WEBHOOK_DISABLE_AFTER_HOURS = 72;

  retryPolicy(): RetryPolicy {
    return { baseMs: this.WEBHOOK_BACKOFF_BASE_MS, maxMs: this.WEBHOOK_BACKOFF_MAX_MS, maxAttempts: this.WEBHOOK_MAX_ATTEMPTS, factor: 4 };
  }

  disablePolicy(): DisablePolicy {
    return { afterFailedDeliveries: this.WEBHOOK_DISABLE_AFTER_FAILURES, afterFailingHours: this.WEBHOOK_DISABLE_AFTER_HOURS };
  }
}
