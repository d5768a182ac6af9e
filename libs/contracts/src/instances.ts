import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsLessThanProperty } from './validation/less-than-property';
import { IsOmittable } from './validation/omittable';
import { IsModelAliases } from './validation/model-aliases';
import { IsModelFallbacks } from './validation/model-fallbacks';
import { IsOutboundUrl } from './validation/outbound-url';
import { IsDeployments, IsModelPrices, ModelPrices } from './validation/instance-settings';
import { DescribedAs } from './validation/openapi-schema';

export const PROVIDER_TYPES = [
  'openai',
  'anthropic',
  'gemini',
  'azure-openai',
  'zai',
  'perplexity',
  'groq',
  'mistral',
  'deepseek',
  'openrouter',
  'together',
  'ollama',
  'openai-compatible',
] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export const INSTANCE_STATUSES = ['healthy', 'degraded', 'unhealthy', 'disabled', 'standby'] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

export const CIRCUIT_STATES = ['closed', 'open', 'half_open'] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];

export const ROUTING_STRATEGIES = ['least-latency', 'least-connections', 'weighted-round-robin', 'priority-failover'] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

/** model → models to try, in order, once every instance of the requested model has failed (not transitive) */
export type ModelFallbacks = Record<string, string[]>;

/** public name → models that answer it, in order: the first a healthy instance serves, the rest its fallbacks */
export type ModelAliases = Record<string, string[]>;

/**
 * Per-instance protocol settings (API.md "Instances"): each applies to the provider types that read it
 * (Anthropic: anthropicVersion, defaultMaxTokens; Azure OpenAI: apiVersion, deployments; all: prices).
 */
export interface InstanceSettings {
  /** the `anthropic-version` this instance speaks (default the current one) */
  anthropicVersion?: string;
  /** `max_tokens` sent when a request names none (Anthropic requires one) */
  defaultMaxTokens?: number;
  /** Azure OpenAI `api-version`: `v1` (default), `preview` or a dated version */
  apiVersion?: string;
  /** Azure OpenAI: model → deployment name */
  deployments?: Record<string, string>;
  /** USD per million tokens, over the built-in price table */
  prices?: ModelPrices;
}

const ANTHROPIC_VERSION_FORMAT = /^\d{4}-\d{2}-\d{2}$/;
const API_VERSION_FORMAT = /^(v1|preview|\d{4}-\d{2}-\d{2}(-preview)?)$/;

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
  @IsOptional() @IsObject() settings?: InstanceSettings;
}

/**
 * The routing table: the reply to `instance-manager.list-routable` and the payload of
 * `routing.table_updated`. `version` grows with every change, so a stale copy never wins.
 */
export class RoutingTableSnapshot {
  @IsIn(ROUTING_STRATEGIES) strategy: RoutingStrategy;
  @IsArray() @ValidateNested({ each: true }) @Type(() => RoutableInstance) instances: RoutableInstance[];
  @IsInt() @Min(0) version: number;
  /** model → models to try, in order, when none of its instances can serve */
  @IsOptional() @IsObject() fallbacks?: Record<string, string[]>;
  /** alias → models that answer it, in order */
  @IsOptional() @IsObject() aliases?: Record<string, string[]>;
}

/** `prices` as the OpenAPI document shows it (IsModelPrices checks the same). */
const PRICES_SCHEMA = {
  type: 'object',
  maxProperties: 500,
  description: 'USD per million tokens per model, over the built-in price table',
  additionalProperties: {
    type: 'object',
    properties: {
      inputPerMTok: { type: 'number', minimum: 0, maximum: 1_000_000 },
      outputPerMTok: { type: 'number', minimum: 0, maximum: 1_000_000 },
      cachedInputPerMTok: { type: 'number', minimum: 0, maximum: 1_000_000 },
    },
    required: ['inputPerMTok', 'outputPerMTok'],
    additionalProperties: false,
  },
};
/** Azure `deployments` as the OpenAPI document shows it (IsDeployments checks the same). */
const DEPLOYMENTS_SCHEMA = {
  type: 'object',
  maxProperties: 500,
  description: 'Azure OpenAI deployment name per model',
  additionalProperties: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' },
};

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
  @IsOmittable() @IsOutboundUrl() baseUrl?: string;
  /** write-only: stored encrypted, never returned */
  @IsOptional() @IsString() @Length(1, 500) apiKey?: string;
  @IsArray() @ArrayNotEmpty({ message: 'models must list at least one model' }) @ArrayMaxSize(200) @IsString({ each: true }) @Length(1, 200, { each: true })
  models: string[];
  @IsOmittable() @IsInt() @Min(0) @Max(1000) weight?: number;
  @IsOmittable() @IsInt() @Min(0) @Max(1000) priority?: number;
  @IsOmittable() @IsInt() @Min(1) @Max(10_000) maxConcurrency?: number;
  @IsOmittable() @IsInt() @Min(100) @Max(600_000) timeoutMs?: number;
  @IsOmittable() @IsBoolean() standby?: boolean;
  @IsOmittable() @IsString() @Matches(ANTHROPIC_VERSION_FORMAT, { message: 'anthropicVersion must be a date like 2026-10-21' }) anthropicVersion?: string;
  @IsOmittable() @IsInt() @Min(1) @Max(1_000_000) defaultMaxTokens?: number;
  @IsOmittable() @IsString() @Matches(API_VERSION_FORMAT, { message: 'apiVersion must be v1, preview or a dated version like 2024-10-21' }) apiVersion?: string;
  @IsOmittable() @IsDeployments() @DescribedAs(DEPLOYMENTS_SCHEMA) deployments?: Record<string, string>;
  @IsOmittable() @IsModelPrices() @DescribedAs(PRICES_SCHEMA) prices?: ModelPrices;
}

export class UpdateInstanceRequest {
  @IsOmittable() @IsString() @Length(1, 100) name?: string;
  @IsOmittable() @IsOutboundUrl() baseUrl?: string;
  @IsOptional() @IsString() @Length(0, 500) apiKey?: string;
  @IsOmittable() @IsArray() @ArrayNotEmpty({ message: 'models must list at least one model' }) @ArrayMaxSize(200) @IsString({ each: true }) models?: string[];
  @IsOmittable() @IsInt() @Min(0) @Max(1000) weight?: number;
  @IsOmittable() @IsInt() @Min(0) @Max(1000) priority?: number;
  @IsOmittable() @IsInt() @Min(1) @Max(10_000) maxConcurrency?: number;
  @IsOmittable() @IsInt() @Min(100) @Max(600_000) timeoutMs?: number;
  @IsOmittable() @IsBoolean() standby?: boolean;
  /** false disables the instance (status `disabled`); true returns it to service */
  @IsOmittable() @IsBoolean() enabled?: boolean;
  /** null clears a setting */
  @IsOptional() @IsString() @Matches(ANTHROPIC_VERSION_FORMAT, { message: 'anthropicVersion must be a date like 2026-10-21' }) anthropicVersion?: string | null;
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000) defaultMaxTokens?: number | null;
  @IsOptional() @IsString() @Matches(API_VERSION_FORMAT, { message: 'apiVersion must be v1, preview or a dated version like 2024-10-21' }) apiVersion?: string | null;
  @IsOptional() @IsDeployments() @DescribedAs(DEPLOYMENTS_SCHEMA) deployments?: Record<string, string> | null;
  @IsOptional() @IsModelPrices() @DescribedAs(PRICES_SCHEMA) prices?: ModelPrices | null;
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
  anthropicVersion?: string;
  defaultMaxTokens?: number;
  apiVersion?: string;
  deployments?: Record<string, string>;
  prices?: ModelPrices;
}

/** `POST /api/v1/instances/{id}/health-check`: one probe, and where it left the instance. */
export interface HealthCheckResult {
  instanceId: string;
  ok: boolean;
  latencyMs: number;
  status: InstanceStatus;
  circuit: CircuitState;
  /** why the probe failed */
  error?: string;
  checkedAt: string;
}

/** `GET /api/v1/routing` */
export interface RoutingPolicyView {
  strategy: RoutingStrategy;
  fallbacks: ModelFallbacks;
  aliases: ModelAliases;
}

/** `PUT /api/v1/routing`: replaces the policy; no `fallbacks` (or `aliases`) means none. */
export class UpdateRoutingPolicyRequest {
  @IsIn(ROUTING_STRATEGIES, { message: `strategy must be one of: ${ROUTING_STRATEGIES.join(', ')}` }) strategy: RoutingStrategy;
  @IsOptional() @IsModelFallbacks() fallbacks?: ModelFallbacks;
  @IsOptional() @IsModelAliases() aliases?: ModelAliases;
}

/**
 * `GET`/`PUT /api/v1/instances/scaling`. Utilization is Σ in-flight / Σ maxConcurrency over the active
 * instances; 0 < scaleDownUtilization < scaleUpUtilization <= 1.
 */
export class ScalingPolicy {
  @IsBoolean() enabled: boolean;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @IsPositive() @Max(1) scaleUpUtilization: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @IsPositive() @IsLessThanProperty('scaleUpUtilization') scaleDownUtilization: number;
  /** how long utilization must stay past a bound before the scaler acts, and the pause after it did */
  @IsInt() @Min(0) @Max(86_400) cooldownSeconds: number;
  /** scaling down never leaves fewer active instances than this */
  @IsInt() @Min(0) @Max(10_000) minActive: number;
}

export const SCALING_DIRECTIONS = ['up', 'down'] as const;
export type ScalingDirection = (typeof SCALING_DIRECTIONS)[number];

/** One decision of the standby scaler (`GET /api/v1/instances/scaling/events`). */
export interface ScalingEventView {
  id: string;
  direction: ScalingDirection;
  instanceId: string | null;
  instanceName: string | null;
  utilization: number;
  reason: string;
  createdAt: string;
}

export class ScalingEventsQuery {
  /** newest first, at most this many (default 50) */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}
