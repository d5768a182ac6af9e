import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Min,
  ValidateNested,
} from 'class-validator';

export const PROVIDER_TYPES = ['openai', 'anthropic', 'zai', 'perplexity', 'groq', 'openai-compatible'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export const INSTANCE_STATUSES = ['healthy', 'degraded', 'unhealthy', 'disabled', 'standby'] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

export const CIRCUIT_STATES = ['closed', 'open', 'half_open'] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];

export const ROUTING_STRATEGIES = ['least-latency', 'least-connections', 'weighted-round-robin', 'priority-failover'] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

/** One instance as relay and worker see it in their routing table (no secrets). */
export class RoutableInstance {
  @IsUUID() id: string;
  @IsString() name: string;
  @IsIn(PROVIDER_TYPES) providerType: ProviderType;
  @IsString() baseUrl: string;
  @IsArray() @IsString({ each: true }) models: string[];
  @IsInt() @Min(0) weight: number;
  @IsInt() priority: number;
  @IsInt() @Min(1) maxConcurrency: number;
  @IsIn(INSTANCE_STATUSES) status: InstanceStatus;
  @IsNumber() @Min(0) p50LatencyMs: number;
}

export class ListRoutableRequest {
  /** restrict to instances serving this model */
  @IsOptional() @IsString() model?: string;
}

/**
 * The routing table: the reply to `instance-manager.list-routable` and the payload of
 * `routing.table_updated`. `version` grows with every change, so a stale copy never wins.
 */
export class RoutingTableSnapshot {
  @IsIn(ROUTING_STRATEGIES) strategy: RoutingStrategy;
  @IsArray() @ValidateNested({ each: true }) @Type(() => RoutableInstance) instances: RoutableInstance[];
  @IsInt() @Min(0) version: number;
}

/** Event `instance.status_changed`. */
export class InstanceStatusChanged {
  @IsUUID() instanceId: string;
  @IsString() name: string;
  @IsIn(PROVIDER_TYPES) providerType: ProviderType;
  @IsIn(INSTANCE_STATUSES) from: InstanceStatus;
  @IsIn(INSTANCE_STATUSES) to: InstanceStatus;
  @IsOptional() @IsString() reason?: string;
}
