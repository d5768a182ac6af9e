import { ProviderConfigError } from '../../provider-specs';
import type { AdapterSettings, UpstreamCall } from '../adapter-types';

/**
 * The API versions this adapter speaks. `2026-10-21` (what @anthropic-ai/sdk ≥ 1.0 sends) takes the key
 * as a Bearer token, removed `temperature`/`top_p`/`top_k` and accepts `role: "system"` messages inside
 * `messages`; `2023-06-01` (SDKs before 1.0) takes `x-api-key` and the sampling parameters.
 */
export const ANTHROPIC_VERSIONS = ['2023-06-01', '2026-10-21'] as const;
export type AnthropicVersion = (typeof ANTHROPIC_VERSIONS)[number];
export const CURRENT_ANTHROPIC_VERSION: AnthropicVersion = '2026-10-21';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const ANTHROPIC_ENDPOINTS = {
  messages: '/v1/messages',
  models: '/v1/models',
  countTokens: '/v1/messages/count_tokens',
} as const;
/** Anthropic requires `max_tokens`; this is sent when neither the request nor the instance names one */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;
export const ANTHROPIC_LABEL = 'Anthropic';

export function isAnthropicVersion(value: unknown): value is AnthropicVersion {
  return typeof value === 'string' && (ANTHROPIC_VERSIONS as readonly string[]).includes(value);
}

/** The instance's version, the current one when unset; any other value is a configuration error. */
export function anthropicVersionOf(settings: Pick<AdapterSettings, 'anthropicVersion'>): AnthropicVersion {
  const version = settings.anthropicVersion?.trim();
  if (!version) return CURRENT_ANTHROPIC_VERSION;
  if (!isAnthropicVersion(version)) {
    throw new ProviderConfigError(`anthropic-version must be one of ${ANTHROPIC_VERSIONS.join(', ')}, got "${version}"`);
  }
  return version;
}

/** The headers of every call: the key as this version's SDK sends it, the version, and `anthropic-beta` when set. */
export function anthropicHeaders(settings: Pick<AdapterSettings, 'apiKey' | 'anthropicVersion' | 'anthropicBeta'>): Record<string, string> {
  const version = anthropicVersionOf(settings);
  const apiKey = settings.apiKey?.trim();
  if (!apiKey) throw new ProviderConfigError(`${ANTHROPIC_LABEL} instances need an API key`);
  const auth: Record<string, string> = version === '2023-06-01' ? { 'x-api-key': apiKey } : { authorization: `Bearer ${apiKey}` };
  const beta = settings.anthropicBeta?.trim();
  return { ...auth, 'anthropic-version': version, ...(beta ? { 'anthropic-beta': beta } : {}) };
}

/** The health probe: `GET /v1/models` with the instance's own headers (an Anthropic key cannot list OpenAI models). */
export function anthropicProbe(settings: Pick<AdapterSettings, 'apiKey' | 'anthropicVersion' | 'anthropicBeta'>): UpstreamCall {
  return { method: 'GET', path: ANTHROPIC_ENDPOINTS.models, query: { limit: '1' }, headers: anthropicHeaders(settings) };
}

/** `GET /v1/models`, one page (Anthropic pages with `after_id`). */
export function anthropicModelsCall(settings: Pick<AdapterSettings, 'apiKey' | 'anthropicVersion' | 'anthropicBeta'>, afterId?: string): UpstreamCall {
  return { method: 'GET', path: ANTHROPIC_ENDPOINTS.models, query: { limit: '1000', ...(afterId ? { after_id: afterId } : {}) }, headers: anthropicHeaders(settings) };
}

/** The ids of a models page, and the `after_id` of the next page when `has_more`. */
export function parseAnthropicModels(body: unknown): { ids: string[]; nextAfterId?: string } {
  const page = typeof body === 'object' && body !== null ? (body as { data?: unknown; has_more?: unknown; last_id?: unknown }) : {};
  const ids = Array.isArray(page.data) ? page.data.map((model: { id?: unknown }) => model?.id).filter((id): id is string => typeof id === 'string') : [];
  return page.has_more === true && typeof page.last_id === 'string' ? { ids, nextAfterId: page.last_id } : { ids };
}

// what count_tokens takes of a Messages body (MessageCountTokensParams); sampling, limits and stream are not counted
const COUNT_TOKENS_FIELDS = ['model', 'messages', 'system', 'tools', 'tool_choice', 'thinking', 'output_config', 'cache_control'];

/** `POST /v1/messages/count_tokens` for an already mapped Messages body, keeping only the fields Anthropic counts. */
export function anthropicCountTokensCall(messagesBody: Record<string, unknown>, settings: AdapterSettings): UpstreamCall {
  const body: Record<string, unknown> = {};
  for (const field of COUNT_TOKENS_FIELDS) if (messagesBody[field] !== undefined) body[field] = messagesBody[field];
  return { method: 'POST', path: ANTHROPIC_ENDPOINTS.countTokens, headers: anthropicHeaders(settings), body };
}

/**
 * How each OpenAI Chat Completions parameter reaches Anthropic:
 * - `mapped`: translated (see the note)
 * - `unsupported`: refused with UnsupportedParameterError unless the request sets `drop_params` (then dropped);
 *   a value equal to OpenAI's default (`n: 1`, `logprobs: false`, a penalty of 0, …) is accepted and not sent
 * - `ignored`: no effect on the answer, not sent (a routing or storage hint)
 * A parameter not listed is an Anthropic-native one (`top_k`, `thinking`, `output_config`, …) and is forwarded unchanged.
 */
export type ParameterSupport = 'mapped' | 'unsupported' | 'ignored';
export interface AnthropicParameter {
  support: ParameterSupport | Record<AnthropicVersion, ParameterSupport>;
  note: string;
}

export const ANTHROPIC_PARAMETERS: Readonly<Record<string, AnthropicParameter>> = {
  model: { support: 'mapped', note: 'the instance model (after aliases and fallbacks)' },
  messages: {
    support: 'mapped',
    note: 'system/developer → `system` (2026-10-21 keeps a later one in place where Anthropic allows it); consecutive roles merged; tool_calls ↔ tool_use; tool messages → tool_result blocks in one user turn; image_url → image (base64 or url source); file (PDF or text data) → document; input_audio unsupported',
  },
  max_tokens: { support: 'mapped', note: '`max_tokens`; defaults to the instance setting or 4096' },
  max_completion_tokens: { support: 'mapped', note: '`max_tokens` (wins over max_tokens)' },
  stop: { support: 'mapped', note: '`stop_sequences`' },
  stream: { support: 'mapped', note: '`stream`' },
  stream_options: { support: 'mapped', note: 'the stream always ends with a usage chunk' },
  temperature: { support: { '2023-06-01': 'mapped', '2026-10-21': 'unsupported' }, note: '0–1 on 2023-06-01; removed in 2026-10-21' },
  top_p: { support: { '2023-06-01': 'mapped', '2026-10-21': 'unsupported' }, note: 'removed in 2026-10-21' },
  tools: { support: 'mapped', note: 'function tools → `{name, description, input_schema, strict}`; custom tools unsupported' },
  tool_choice: { support: 'mapped', note: 'auto → auto, none → none, required → any, a named function → tool' },
  parallel_tool_calls: { support: 'mapped', note: 'false → `tool_choice.disable_parallel_tool_use: true`' },
  response_format: { support: 'mapped', note: 'json_schema → `output_config.format` (Claude 4.5 and later); json_object unsupported' },
  reasoning_effort: { support: 'mapped', note: '`thinking` with a token budget (minimal 1024, low 2048, medium 8192, high 16384, xhigh 24576, max 32000); none → thinking disabled' },
  user: { support: 'mapped', note: '`metadata.user_id`' },
  safety_identifier: { support: 'mapped', note: '`metadata.user_id` when `user` is not set' },
  service_tier: { support: 'mapped', note: 'auto → auto, default → standard_only; others unsupported' },
  prompt_cache_key: { support: 'ignored', note: 'Anthropic caches by `cache_control`, passed through on content parts' },
  prompt_cache_retention: { support: 'ignored', note: 'as prompt_cache_key' },
  prompt_cache_options: { support: 'ignored', note: 'as prompt_cache_key' },
  store: { support: 'unsupported', note: 'Anthropic stores no completions' },
  metadata: { support: 'unsupported', note: 'Anthropic metadata holds only user_id (from `user`)' },
  n: { support: 'unsupported', note: 'one choice only' },
  logprobs: { support: 'unsupported', note: '' },
  top_logprobs: { support: 'unsupported', note: '' },
  logit_bias: { support: 'unsupported', note: '' },
  presence_penalty: { support: 'unsupported', note: '' },
  frequency_penalty: { support: 'unsupported', note: '' },
  seed: { support: 'unsupported', note: '' },
  audio: { support: 'unsupported', note: '' },
  modalities: { support: 'unsupported', note: 'text only' },
  prediction: { support: 'unsupported', note: '' },
  web_search_options: { support: 'unsupported', note: '' },
  verbosity: { support: 'unsupported', note: '' },
  moderation: { support: 'unsupported', note: '' },
  functions: { support: 'unsupported', note: 'the legacy form of tools' },
  function_call: { support: 'unsupported', note: 'the legacy form of tool_choice' },
};

/** The provider description, in the manner of Portkey's `src/providers/<name>/api.ts`. */
export const ANTHROPIC_API = {
  type: 'anthropic',
  label: ANTHROPIC_LABEL,
  defaultBaseUrl: ANTHROPIC_DEFAULT_BASE_URL,
  requiresApiKey: true,
  versions: ANTHROPIC_VERSIONS,
  currentVersion: CURRENT_ANTHROPIC_VERSION,
  endpoints: ANTHROPIC_ENDPOINTS,
  defaultMaxTokens: DEFAULT_ANTHROPIC_MAX_TOKENS,
  headers: anthropicHeaders,
  probe: anthropicProbe,
  parameters: ANTHROPIC_PARAMETERS,
} as const;
