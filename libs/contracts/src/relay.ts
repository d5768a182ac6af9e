import { Type } from 'class-transformer';
import {
  Allow,
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

const STRING_OR_TEXT_PARTS = {
  oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'object', properties: { type: { type: 'string', enum: ['text'] }, text: { type: 'string' } }, required: ['type', 'text'] } }],
};
const TOOL_CALL = {
  type: 'object',
  properties: {
    id: { type: 'string', minLength: 1 },
    type: { type: 'string', enum: ['function'] },
    function: { type: 'object', properties: { name: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' }, arguments: { type: 'string' } }, required: ['name', 'arguments'] },
  },
  required: ['id', 'type', 'function'],
};
const CONTENT_PART = {
  oneOf: [
    { type: 'object', properties: { type: { type: 'string', enum: ['text'] }, text: { type: 'string' } }, required: ['type', 'text'] },
    {
      type: 'object',
      properties: {
        type: { type: 'string', enum: ['image_url'] },
        image_url: { type: 'object', properties: { url: { type: 'string', description: 'an http(s) URL or a data: URL' }, detail: { type: 'string', enum: ['auto', 'low', 'high'] } }, required: ['url'] },
      },
      required: ['type', 'image_url'],
    },
    {
      type: 'object',
      properties: {
        type: { type: 'string', enum: ['input_audio'] },
        input_audio: { type: 'object', properties: { data: { type: 'string', description: 'base64' }, format: { type: 'string', enum: ['wav', 'mp3'] } }, required: ['data', 'format'] },
      },
      required: ['type', 'input_audio'],
    },
    {
      type: 'object',
      properties: {
        type: { type: 'string', enum: ['file'] },
        file: { type: 'object', properties: { file_data: { type: 'string' }, file_id: { type: 'string' }, filename: { type: 'string' } } },
      },
      required: ['type', 'file'],
    },
  ],
};
const MESSAGE = {
  oneOf: [
    { type: 'object', properties: { role: { type: 'string', enum: ['system', 'developer'] }, content: STRING_OR_TEXT_PARTS, name: { type: 'string' } }, required: ['role', 'content'] },
    { type: 'object', properties: { role: { type: 'string', enum: ['user'] }, content: { oneOf: [{ type: 'string' }, { type: 'array', items: CONTENT_PART }] }, name: { type: 'string' } }, required: ['role', 'content'] },
    {
      type: 'object',
      properties: { role: { type: 'string', enum: ['assistant'] }, content: { ...STRING_OR_TEXT_PARTS, nullable: true }, tool_calls: { type: 'array', items: TOOL_CALL }, refusal: { type: 'string', nullable: true }, name: { type: 'string' } },
      required: ['role'],
    },
    { type: 'object', properties: { role: { type: 'string', enum: ['tool'] }, content: STRING_OR_TEXT_PARTS, tool_call_id: { type: 'string', minLength: 1, description: 'the id of an earlier assistant tool call this answers' } }, required: ['role', 'content', 'tool_call_id'] },
  ],
};
const FUNCTION_TOOL = {
  type: 'object',
  properties: {
    type: { type: 'string', enum: ['function'] },
    function: {
      type: 'object',
      properties: { name: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' }, description: { type: 'string' }, parameters: { type: 'object', description: 'a JSON Schema' }, strict: { type: 'boolean' } },
      required: ['name'],
    },
  },
  required: ['type', 'function'],
};

/**
 * `POST /api/v1/chat/completions`: the OpenAI Chat Completions request (openai's
 * `ChatCompletionCreateParams`). The relay checks it with plain code (relay-core's
 * checkChatCompletionRequest; the scalar fields by these validators): one pass, no instance per message.
 * A parameter not declared here is forwarded unchanged to OpenAI-protocol providers.
 */
export class ChatCompletionRequest {
  @IsString() @Length(1, 200) model: string;
  @IsArray() @Allow()
  @DescribedAs({ description: 'the conversation so far: system, developer, user (text, image_url, input_audio, file parts), assistant (with tool_calls) and tool messages', type: 'array', minItems: 1, items: MESSAGE })
  messages: unknown[];
  @IsOptional() @IsNumber() @Min(0) @Max(2) temperature?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) top_p?: number;
  @IsOptional() @IsInt() @Min(1) max_tokens?: number;
  @IsOptional() @IsInt() @Min(1) max_completion_tokens?: number;
  @IsOptional() @IsBoolean() stream?: boolean;
  @IsOptional() @Allow()
  @DescribedAs({ description: 'with stream: include_usage adds a final chunk with usage (and cost_usd)', type: 'object', properties: { include_usage: { type: 'boolean' }, include_obfuscation: { type: 'boolean' } } })
  stream_options?: { include_usage?: boolean; include_obfuscation?: boolean };
  @IsOptional() @Allow() @DescribedAs({ description: 'up to 4 sequences where generation stops', oneOf: [{ type: 'string' }, { type: 'array', maxItems: 4, items: { type: 'string' } }] }) stop?: string | string[];
  @IsOptional() @IsNumber() @Min(-2) @Max(2) presence_penalty?: number;
  @IsOptional() @IsNumber() @Min(-2) @Max(2) frequency_penalty?: number;
  @IsOptional() @IsInt() seed?: number;
  /** checked against MAX_CHOICES by the relay */
  @IsOptional() @IsInt() @Min(1) n?: number;
  @IsOptional() @IsString() @MaxLength(256) user?: string;
  @IsOptional() @Allow()
  @DescribedAs({
    description: 'text, json_object, or json_schema {name, schema, strict}',
    oneOf: [
      { type: 'object', properties: { type: { type: 'string', enum: ['text', 'json_object'] } }, required: ['type'] },
      {
        type: 'object',
        properties: {
          type: { type: 'string', enum: ['json_schema'] },
          json_schema: { type: 'object', properties: { name: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' }, description: { type: 'string' }, schema: { type: 'object' }, strict: { type: 'boolean' } }, required: ['name'] },
        },
        required: ['type', 'json_schema'],
      },
    ],
  })
  response_format?: Record<string, unknown>;
  @IsOptional() @Allow() @DescribedAs({ description: 'up to 16 string values, passed to the provider', type: 'object', maxProperties: 16, additionalProperties: { type: 'string', maxLength: 512 } }) metadata?: Record<string, string>;
  @IsOptional() @Allow() @DescribedAs({ description: 'function tools the model may call', type: 'array', maxItems: 128, items: FUNCTION_TOOL }) tools?: unknown[];
  @IsOptional() @Allow()
  @DescribedAs({
    description: 'none, auto, required, or the function to call (it must be among tools)',
    oneOf: [
      { type: 'string', enum: ['none', 'auto', 'required'] },
      { type: 'object', properties: { type: { type: 'string', enum: ['function'] }, function: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } }, required: ['type', 'function'] },
    ],
  })
  tool_choice?: unknown;
  @IsOptional() @IsBoolean() parallel_tool_calls?: boolean;
  @IsOptional() @IsBoolean() logprobs?: boolean;
  /** needs logprobs: true */
  @IsOptional() @IsInt() @Min(0) @Max(20) top_logprobs?: number;
  @IsOptional() @Allow() @DescribedAs({ description: 'token id → bias from -100 to 100', type: 'object', additionalProperties: { type: 'number', minimum: -100, maximum: 100 } }) logit_bias?: Record<string, number>;
  @IsOptional() @IsIn(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']) reasoning_effort?: string;
  @IsOptional() @Allow() @DescribedAs({ description: 'output modalities', type: 'array', items: { type: 'string', enum: ['text', 'audio'] } }) modalities?: string[];
  @IsOptional() @IsIn(['auto', 'default', 'flex', 'scale', 'priority']) service_tier?: string;
  @IsOptional() @IsBoolean() store?: boolean;
  @IsOptional() @Allow()
  @DescribedAs({ description: 'predicted output: {type: "content", content}', type: 'object', properties: { type: { type: 'string', enum: ['content'] }, content: STRING_OR_TEXT_PARTS }, required: ['type', 'content'] })
  prediction?: Record<string, unknown>;
  @IsOptional() @IsObject() @DescribedAs({ description: 'web search settings, passed to the provider', type: 'object' }) web_search_options?: Record<string, unknown>;
  @IsOptional() @IsObject() @DescribedAs({ description: 'audio output settings {voice, format}, passed to the provider', type: 'object' }) audio?: Record<string, unknown>;
  @IsOptional() @IsIn(['low', 'medium', 'high']) verbosity?: string;
  @IsOptional() @IsString() @MaxLength(1024) prompt_cache_key?: string;
  @IsOptional() @IsString() @MaxLength(1024) safety_identifier?: string;
  /** ours: parameters the chosen provider cannot honour are dropped (and named in x-ish-dropped-params) instead of refused */
  @IsOptional() @IsBoolean() drop_params?: boolean;
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
  /** the key's tokensPerMinute when the job was submitted (null or 0: no limit), counted when a worker runs it */
  tokensPerMinute?: number | null;
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

/** Why a job failed: an API.md error body (libs/jobs encodeJobFailure / decodeJobFailure). */
export interface JobFailure {
  type: string;
  code: string;
  message: string;
}

/** Body of every event delivered to webhooks and `/api/v1/events`. */
export interface EventEnvelope<T = unknown> {
  type: string;
  timestamp: string;
  data: T;
}
