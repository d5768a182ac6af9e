import type { AdapterSettings, UpstreamCall } from '../adapter-types';

/**
 * How each OpenAI Chat Completions parameter reaches Gemini (`models.generateContent`). `ignored`
 * parameters carry nothing Gemini could act on (identifiers, hints); `unsupported` ones are refused
 * with UnsupportedParameterError (or dropped with `drop_params`); any parameter not listed is too.
 */
export const GEMINI_PARAMETERS = {
  model: 'the URL: /v1beta/models/{model}',
  messages: 'contents (user/model turns, consecutive roles merged) and systemInstruction (system, developer)',
  stream: ':streamGenerateContent?alt=sse',
  stream_options: 'ignored: Gemini always reports usage; a stream ends with a usage chunk',
  temperature: 'generationConfig.temperature',
  top_p: 'generationConfig.topP',
  max_tokens: 'generationConfig.maxOutputTokens',
  max_completion_tokens: 'generationConfig.maxOutputTokens (wins over max_tokens)',
  stop: 'generationConfig.stopSequences',
  n: 'generationConfig.candidateCount',
  seed: 'generationConfig.seed',
  presence_penalty: 'generationConfig.presencePenalty',
  frequency_penalty: 'generationConfig.frequencyPenalty',
  response_format: 'generationConfig.responseMimeType application/json (+ responseJsonSchema for json_schema)',
  logprobs: 'generationConfig.responseLogprobs',
  top_logprobs: 'generationConfig.logprobs',
  reasoning_effort: 'generationConfig.thinkingConfig: thinkingBudget for Gemini 1.x/2.x, thinkingLevel after; includeThoughts',
  tools: 'tools[].functionDeclarations with parametersJsonSchema (the JSON Schema as is, nothing stripped)',
  tool_choice: 'toolConfig.functionCallingConfig: auto AUTO, none NONE, required ANY, named ANY + allowedFunctionNames, allowed_tools VALIDATED/ANY + allowedFunctionNames',
  parallel_tool_calls: 'true: Gemini may call several functions at once; false: unsupported (Gemini has no switch)',
  web_search_options: 'tools[].googleSearch',
  user: 'ignored',
  metadata: 'ignored',
  safety_identifier: 'ignored',
  prompt_cache_key: 'ignored',
  prompt_cache_retention: 'ignored',
  service_tier: 'auto/default: ignored; other tiers unsupported',
  store: 'false: ignored; true unsupported',
  drop_params: 'ours: unsupported parameters are dropped and reported',
  logit_bias: 'unsupported',
  modalities: '["text"]: ignored; audio output unsupported',
  audio: 'unsupported',
  prediction: 'unsupported',
  verbosity: 'unsupported',
  functions: 'unsupported (the legacy form of tools)',
  function_call: 'unsupported (the legacy form of tool_choice)',
} as const;

/** Gemini's native API (the Gemini Developer API, generativelanguage.googleapis.com), as a description. */
export const GEMINI_API = {
  type: 'gemini',
  label: 'Gemini',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com',
  /** the API version the SDK (@google/genai) speaks by default */
  apiVersion: 'v1beta',
  parameters: GEMINI_PARAMETERS,
} as const;

/** `gemini-2.5-flash` and `models/gemini-2.5-flash` both name the model. */
export function geminiModelName(model: string): string {
  return model.startsWith('models/') ? model.slice('models/'.length) : model;
}

/** The key goes in `x-goog-api-key`, as the official SDK sends it (never in the `key=` query, which lands in access logs). */
export function geminiHeaders(settings: Pick<AdapterSettings, 'apiKey'>): Record<string, string> {
  return settings.apiKey ? { 'x-goog-api-key': settings.apiKey } : {};
}

export type GeminiMethod = 'generateContent' | 'streamGenerateContent' | 'countTokens' | 'embedContent' | 'batchEmbedContents';

export function geminiMethodPath(model: string, method: GeminiMethod): string {
  return `/${GEMINI_API.apiVersion}/models/${encodeURIComponent(geminiModelName(model))}:${method}`;
}

/** The health probe: listing models needs a valid key and nothing else. */
export function geminiProbe(settings: Pick<AdapterSettings, 'apiKey'>): UpstreamCall {
  return { method: 'GET', path: `/${GEMINI_API.apiVersion}/models`, query: { pageSize: '1000' }, headers: geminiHeaders(settings) };
}

/** The ids of a `models.list` answer, without the `models/` prefix. */
export function geminiModelIds(body: unknown): string[] {
  const models = (body as { models?: unknown } | null)?.models;
  if (!Array.isArray(models)) return [];
  return models
    .map((model) => (model as { name?: unknown } | null)?.name)
    .filter((name): name is string => typeof name === 'string' && name !== '')
    .map(geminiModelName);
}
