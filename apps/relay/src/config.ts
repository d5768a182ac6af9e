import { IsInt, Max, Min } from 'class-validator';
import { AuthGuardConfig } from '@ish/auth-guard';
import { ConfigPart, ConfigParts, GatewayConfig, InstanceKeyConfig, PlatformConfig } from '@ish/platform';
import { ProvidersConfig } from '@ish/providers';
import { BudgetsConfig } from '@ish/budgets';
import { RelayCoreConfig } from '@ish/relay-core';
import { WebhooksConfig } from '@ish/webhooks';

/** The relay's own variables: event streams and request size limits. */
@ConfigPart()
export class RelayConfig {
  /** open `/api/v1/events` streams one credential may hold, over every relay replica (429 beyond) */
  @IsInt() @Min(1) @Max(1000)
  EVENTS_MAX_STREAMS_PER_CREDENTIAL = 5;

  /** bytes an event stream may have waiting for a client that does not read; past it the stream is dropped */
  @IsInt() @Min(16_384) @Max(64 * 1024 * 1024)
  EVENTS_MAX_BUFFERED_BYTES = 1_048_576;

  /** largest request body in bytes (413 past it): chat requests carry images as data URLs */
  @IsInt() @Min(1024) @Max(1024 * 1024 * 1024)
  MAX_REQUEST_BYTES = 32 * 1024 * 1024;

  /** most choices (`n`) one chat completion may ask for */
  @IsInt() @Min(1) @Max(128)
  MAX_CHOICES = 8;
}

/** What the relay reads, validated together at start (WebhooksConfig: it serves the subscription API). */
export const CONFIG_PARTS: ConfigParts = [PlatformConfig, GatewayConfig, AuthGuardConfig, InstanceKeyConfig, ProvidersConfig, RelayCoreConfig, BudgetsConfig, WebhooksConfig, RelayConfig];
