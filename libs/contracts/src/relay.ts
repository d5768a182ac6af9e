import { Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PROVIDER_TYPES, ProviderType } from './instances';
import { DescribedAs } from './validation/openapi-schema';

export const CHAT_ROLES = ['system', 'user', 'assistant', 'developer', 'tool'] as const;
export type ChatRole = (typeof CHAT_ROLES)[number];

/** A message of a relay conversation (what /api/v1/relay stores and sends upstream). */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** `POST /api/v1/relay` (API.md "Relay"). */
export class RelayRequest {
  /** length is checked against MAX_MESSAGE_CHARS by the relay (413 past it) */
  @IsString() @Length(1, 10_000_000, { message: 'message must not be empty' }) message: string;
  @IsOptional() @IsUUID() conversationId?: string;
  @IsOptional() @IsString() @Length(1, 200) model?: string;
  @IsOptional() @IsIn(PROVIDER_TYPES) provider?: ProviderType;
  @IsOptional() @IsString() @MaxLength(20_000) systemPrompt?: string;
  @IsOptional() @IsNumber() @Min(0) @Max(2) temperature?: number;
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000) maxTokens?: number;
  @IsOptional() @IsIn(['sync', 'async']) mode?: 'sync' | 'async';
}

export interface RelayReply {
  id: string;
  conversationId: string;
  reply: string;
  model: string;
  provider: ProviderType;
  instanceId: string;
  usage: Usage;
  latencyMs: number;
  cached: boolean;
}

export class ChatCompletionMessage {
  @IsIn(CHAT_ROLES) role: ChatRole;
  /** a string, or OpenAI content parts (text parts are joined) */
  @Allow()
  @DescribedAs({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'object', properties: { type: { type: 'string', enum: ['text'] }, text: { type: 'string' } }, required: ['type', 'text'] } }] })
  content: unknown;
  @IsOptional() @IsString() @MaxLength(200) name?: string;
}

export class StreamOptions {
  @IsOptional() @IsBoolean() include_usage?: boolean;
}

/**
 * `POST /api/v1/chat/completions`: the OpenAI Chat Completions request. Parameters we pass through are
 * declared; anything else is refused, as OpenAI refuses unrecognized arguments.
 */
export class ChatCompletionRequest {
  @IsString() @Length(1, 200) model: string;
  @IsArray() @ArrayNotEmpty({ message: 'messages must contain at least one message' }) @ArrayMaxSize(1000)
  @ValidateNested({ each: true }) @Type(() => ChatCompletionMessage)
  messages: ChatCompletionMessage[];
  @IsOptional() @IsNumber() @Min(0) @Max(2) temperature?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) top_p?: number;
  @IsOptional() @IsInt() @Min(1) max_tokens?: number;
  @IsOptional() @IsInt() @Min(1) max_completion_tokens?: number;
  @IsOptional() @IsBoolean() stream?: boolean;
  @IsOptional() @ValidateNested() @Type(() => StreamOptions) stream_options?: StreamOptions;
  @IsOptional() @Allow() @DescribedAs({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] }) stop?: string | string[];
  @IsOptional() @IsNumber() @Min(-2) @Max(2) presence_penalty?: number;
  @IsOptional() @IsNumber() @Min(-2) @Max(2) frequency_penalty?: number;
  @IsOptional() @IsInt() seed?: number;
  @IsOptional() @IsInt() @Min(1) @Max(1) n?: number;
  @IsOptional() @IsString() @MaxLength(256) user?: string;
  @IsOptional() @IsObject() response_format?: Record<string, unknown>;
  @IsOptional() @IsObject() metadata?: Record<string, string>;
}

export const JOB_TYPES = ['ai', 'adb'] as const;
export type JobType = (typeof JOB_TYPES)[number];

/** What an `ai` job carries through the `ai` queue to a worker. */
export interface AiJobData {
  type: 'ai';
  userId: string;
  credentialId: string;
  apiKeyId: string | null;
  conversationId: string;
  model: string;
  provider?: ProviderType;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  requestId?: string;
}

/** `GET /api/v1/jobs?limit`: the caller's newest jobs (default 20). */
export class ListJobsQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
}

/** `GET /api/v1/jobs/{id}`, and each item of `GET /api/v1/jobs` */
export interface JobView {
  id: string;
  type: JobType;
  status: 'queued' | 'active' | 'completed' | 'failed';
  result?: unknown;
  error?: { type: string; code: string; message: string };
  attempts: number;
  createdAt: string;
  finishedAt?: string;
}

/** Payload of `job.completed` / `job.failed` (API.md Webhooks: data holds jobId, status and result or error). */
export interface JobEvent {
  userId: string;
  jobId: string;
  type: JobType;
  status: 'completed' | 'failed';
  result?: unknown;
  error?: JobFailure;
}

/** Why a job failed: an API.md error body. */
export interface JobFailure {
  type: string;
  code: string;
  message: string;
}

/**
 * A failed job's reason as BullMQ stores it: workers throw the API.md error body as JSON; anything
 * else (a crash, a lock lost) becomes a generic `job_failed` carrying the text.
 */
export function parseJobFailure(reason: string | undefined): JobFailure {
  try {
    const parsed = JSON.parse(reason ?? '') as JobFailure;
    if (parsed && typeof parsed.code === 'string') return parsed;
  } catch {
    /* not ours */
  }
  return { type: 'api_error', code: 'job_failed', message: reason || 'the job failed' };
}

/** Body of every event delivered to webhooks and `/api/v1/events`. */
export interface EventEnvelope<T = unknown> {
  type: string;
  timestamp: string;
  data: T;
}
