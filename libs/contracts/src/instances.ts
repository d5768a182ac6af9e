import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsOutboundUrl } from './validation/outbound-url';

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
  @IsInt() @Min(100) timeoutMs: number;
  /** AES-256-GCM ciphertext of the provider key: only relay and worker, holding the key, can open it */
  @IsOptional() @IsString() apiKeyEncrypted: string | null;
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

export class CreateInstanceRequest {
  @IsString() @Length(1, 100) name: string;
  @IsIn(PROVIDER_TYPES, { message: `providerType must be one of: ${PROVIDER_TYPES.join(', ')}` }) providerType: ProviderType;
  /** defaults to the provider's public endpoint; required for openai-compatible */
  @IsOptional() @IsOutboundUrl() baseUrl?: string;
  /** write-only: stored encrypted, never returned */
  @IsOptional() @IsString() @Length(1, 500) apiKey?: string;
  @IsArray() @ArrayNotEmpty({ message: 'models must list at least one model' }) @ArrayMaxSize(200) @IsString({ each: true }) @Length(1, 200, { each: true })
  models: string[];
  @IsOptional() @IsInt() @Min(0) @Max(1000) weight?: number;
  @IsOptional() @IsInt() @Min(0) @Max(1000) priority?: number;
  @IsOptional() @IsInt() @Min(1) @Max(10_000) maxConcurrency?: number;
  @IsOptional() @IsInt() @Min(100) @Max(600_000) timeoutMs?: number;
  @IsOptional() @IsBoolean() standby?: boolean;
}

export class UpdateInstanceRequest {
  @IsOptional() @IsString() @Length(1, 100) name?: string;
  @IsOptional() @IsOutboundUrl() baseUrl?: string;
  @IsOptional() @IsString() @Length(0, 500) apiKey?: string;
  @IsOptional() @IsArray() @ArrayNotEmpty({ message: 'models must list at least one model' }) @ArrayMaxSize(200) @IsString({ each: true }) models?: string[];
  @IsOptional() @IsInt() @Min(0) @Max(1000) weight?: number;
  @IsOptional() @IsInt() @Min(0) @Max(1000) priority?: number;
  @IsOptional() @IsInt() @Min(1) @Max(10_000) maxConcurrency?: number;
  @IsOptional() @IsInt() @Min(100) @Max(600_000) timeoutMs?: number;
  @IsOptional() @IsBoolean() standby?: boolean;
  /** false disables the instance (status `disabled`); true returns it to service */
  @IsOptional() @IsBoolean() enabled?: boolean;
}

/** An instance as the API shows it (API.md "Instances"); never the key. */
export interface InstanceView {
  id: string;
  name: string;
  providerType: ProviderType;
  baseUrl: string;
  models: string[];
  weight: number;
  priority: number;
  maxConcurrency: number;
  timeoutMs: number;
  standby: boolean;
  status: InstanceStatus;
  circuit: CircuitState;
  inFlight: number;
  stats: { requests: number; errors: number; p50LatencyMs: number; p95LatencyMs: number };
  lastCheckedAt: string | null;
  hasApiKey: boolean;
}
