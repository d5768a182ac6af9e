import type { ProviderType } from '@ish/contracts';

/**
 * What the relay needs to know to talk to one kind of provider, in the manner of Portkey's provider
 * folder: a description, not a class. Every provider here speaks the OpenAI Chat Completions API.
 */
export interface ProviderSpec {
  type: ProviderType;
  label: string;
  /** undefined when the instance must name its own base URL */
  defaultBaseUrl?: string;
  /** false when the endpoint may run without a key (a local vLLM, Ollama, LM Studio, …) */
  requiresApiKey: boolean;
  /** sent with every request besides the Bearer credential */
  extraHeaders: Readonly<Record<string, string>>;
  /** the Chat Completions parameters its documentation says it refuses or cannot honour (fitRequestToProvider) */
  parameterGaps: readonly ParameterGap[];
}

/** A Chat Completions parameter a provider cannot honour: refused with 400, or dropped under `drop_params`. */
export interface ParameterGap {
  /** a top-level parameter, or `messages.*.<field>` for a field of any message */
  param: string;
  /** the values it does honour (e.g. `n: 1`); absent: none */
  honours?: (value: unknown) => boolean;
  /** what the provider says, for the error message */
  detail?: string;
}

const onlyOne = (value: unknown) => value === 1;
const gaps = (...params: string[]): ParameterGap[] => params.map((param) => ({ param }));

export const PROVIDER_SPECS: Readonly<Record<ProviderType, ProviderSpec>> = {
  openai: {
    type: 'openai',
    label: 'OpenAI',
    defaultBaseUrl: 'https://api.openai.com/v1',
    requiresApiKey: true,
    extraHeaders: {},
    parameterGaps: [],
  },
  anthropic: {
    type: 'anthropic',
    label: 'Anthropic',
    // Anthropic's OpenAI-compatible endpoint, which takes the key as a Bearer token
    defaultBaseUrl: 'https://api.anthropic.com/v1',
    requiresApiKey: true,
    extraHeaders: {},
    // docs.anthropic.com "OpenAI SDK compatibility": n must be 1; logprobs, logit_bias, audio and predicted outputs are not supported
    parameterGaps: [
      { param: 'n', honours: onlyOne, detail: 'n must be 1' },
      ...gaps('logprobs', 'top_logprobs', 'logit_bias', 'audio', 'prediction'),
      { param: 'modalities', honours: (value) => Array.isArray(value) && value.every((m) => m === 'text'), detail: 'text output only' },
    ],
  },
  zai: {
    type: 'zai',
    label: 'Z.ai',
    defaultBaseUrl: 'https://api.z.ai/api/paas/v4',
    requiresApiKey: true,
    // Z.ai answers error messages in Chinese unless asked otherwise
    extraHeaders: { 'Accept-Language': 'en-US,en' },
    // docs.z.ai chat completions: one choice, tool_choice "auto" only, no logprobs, logit_bias or penalties
    parameterGaps: [
      { param: 'n', honours: onlyOne, detail: 'n must be 1' },
      { param: 'tool_choice', honours: (value) => value === 'auto', detail: 'only "auto" is accepted' },
      ...gaps('logprobs', 'top_logprobs', 'logit_bias', 'presence_penalty', 'frequency_penalty'),
    ],
  },
  perplexity: {
    type: 'perplexity',
    label: 'Perplexity',
    defaultBaseUrl: 'https://api.perplexity.ai',
    requiresApiKey: true,
    extraHeaders: {},
    // docs.perplexity.ai chat completions: no function calling, one choice, no logprobs or logit_bias
    parameterGaps: [{ param: 'n', honours: onlyOne, detail: 'n must be 1' }, ...gaps('tools', 'tool_choice', 'parallel_tool_calls', 'logprobs', 'top_logprobs', 'logit_bias')],
  },
  groq: {
    type: 'groq',
    label: 'Groq',
    defaultBaseUrl: 'https://api.groq.com/openai/v1',
    requiresApiKey: true,
    extraHeaders: {},
    // console.groq.com/docs/openai: these "will result in a 400 error"; if n is supplied it must be 1
    parameterGaps: [{ param: 'n', honours: onlyOne, detail: 'n must be 1' }, ...gaps('logprobs', 'logit_bias', 'top_logprobs', 'messages.*.name')],
  },
  'openai-compatible': {
    type: 'openai-compatible',
    label: 'OpenAI-compatible',
    requiresApiKey: false,
    extraHeaders: {},
    // what such a server honours is unknown: everything is passed on, and its own 400 comes back
    parameterGaps: [],
  },
};

export class ProviderConfigError extends Error {
  override readonly name = 'ProviderConfigError';
}

/** The instance's own base URL, else the provider's default; without trailing slashes. */
export function resolveBaseUrl(providerType: ProviderType, baseUrl?: string): string {
  const spec = PROVIDER_SPECS[providerType];
  const chosen = baseUrl?.trim() || spec.defaultBaseUrl;
  if (!chosen) throw new ProviderConfigError(`${spec.label} instances need a base URL`);
  return chosen.replace(/\/+$/, '');
}

/** The headers a raw HTTP call (a health probe, say) sends to the provider. */
export function providerRequestHeaders(providerType: ProviderType, apiKey?: string): Record<string, string> {
  const spec = PROVIDER_SPECS[providerType];
  if (!apiKey && spec.requiresApiKey) throw new ProviderConfigError(`${spec.label} instances need an API key`);
  return { ...spec.extraHeaders, ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}) };
}
