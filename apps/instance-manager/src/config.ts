import { IsIn, IsInt, IsNumber, IsPositive, Max, Min } from 'class-validator';
import { AuthGuardConfig } from '@ish/auth-guard';
import { ROUTING_STRATEGIES, RoutingStrategy } from '@ish/contracts';
import { ConfigPart, ConfigParts, GatewayConfig, InstanceKeyConfig, PlatformConfig } from '@ish/platform';
import { ProvidersConfig } from '@ish/providers';
import { UsageConfig } from '@ish/usage';

/** Instance-manager's own variables: routing, health probes, passive health, scaling, leadership. */
@ConfigPart()
export class InstanceManagerConfig {
  /** strategy in force until an operator changes it with PUT /api/v1/routing */
  @IsIn(ROUTING_STRATEGIES)
  ROUTING_STRATEGY: RoutingStrategy = 'least-latency';

  /** pause between two probe rounds of the leader (each round probes every live instance) */
  @IsInt() @Min(100) @Max(3_600_000)
  HEALTH_PROBE_INTERVAL_MS = 10_000;

  /** one probe (`GET /models`) gives up after this long */
  @IsInt() @Min(100) @Max(120_000)
  HEALTH_PROBE_TIMEOUT_MS = 5000;

  /** failed probes in a row that make an instance unhealthy (and open its circuit) */
  @IsInt() @Min(1) @Max(100)
  HEALTH_UNHEALTHY_AFTER_FAILURES = 2;

  /** passive health: the window of request_logs that error rate and latency come from */
  @IsInt() @Min(5) @Max(3600)
  HEALTH_PASSIVE_WINDOW_SECONDS = 60;

  /** passive health judges an instance only over at least this many requests in the window */
  @IsInt() @Min(1) @Max(1_000_000)
  HEALTH_PASSIVE_MIN_REQUESTS = 10;

  /** a probed-ok instance whose window error rate (0..1) reaches this is degraded */
  @IsNumber({ allowNaN: false, allowInfinity: false }) @IsPositive() @Max(1)
  HEALTH_DEGRADED_ERROR_RATE = 0.25;

  /** …as is one whose window p95 latency reaches this */
  @IsInt() @Min(1) @Max(3_600_000)
  HEALTH_DEGRADED_P95_MS = 10_000;

  /** pause between two rounds of the standby scaler (on the leader) */
  @IsInt() @Min(100) @Max(600_000)
  SCALING_INTERVAL_MS = 5000;

  /** the leader's lock in Redis lives this long unless renewed (every third of it) */
  @IsInt() @Min(1000) @Max(600_000)
  LEADER_LOCK_TTL_MS = 15_000;
}

/** What instance-manager reads, validated together at start (it seals provider keys and probes the providers). */
export const CONFIG_PARTS: ConfigParts = [PlatformConfig, GatewayConfig, AuthGuardConfig, InstanceKeyConfig, ProvidersConfig, InstanceManagerConfig, UsageConfig];
