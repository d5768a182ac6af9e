import type { ProviderType } from '@ish/contracts';

/** The wire protocol an instance speaks: one adapter each (libs/providers/src/adapters). */
export type ProviderProtocol = 'openai' | 'anthropic' | 'gemini' | 'azure-openai';

/**
 * What the relay needs to know to talk to one kind of provider, in the manner of Portkey's provider
 * folder: a description, not a class. OpenAI-protocol providers differ only by this data.
 */
export interface ProviderSpec {
  type: ProviderType;
  label: string;
  protocol: ProviderProtocol;
  /** undefined when the instance must name its own base URL */
  defaultBaseUrl?: string;
  /** false when the endpoint may run without a key (a local vLLM, Ollama, LM Studio, …) */
  requiresApiKey: boolean;
  /** sent with every request besides the credential */
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

const openAIProtocol = (type: ProviderType, label: string, defaultBaseUrl: string | undefined, extra: Partial<ProviderSpec> = {}): ProviderSpec => ({
  type,
  label,
  protocol: 'openai',
  defaultBaseUrl,
  requiresApiKey: true,
  extraHeaders: {},
  parameterGaps: [],
  ...extra,
});

// the native protocols' adapters refuse (or drop) what their provider cannot take themselves: no gaps listed here
const native = (type: ProviderType, label: string, protocol: ProviderProtocol, defaultBaseUrl?: string): ProviderSpec => ({
  type,
  label,
  protocol,
  defaultBaseUrl,
  requiresApiKey: true,
  extraHeaders: {},
  parameterGaps: [],
});

export const PROVIDER_SPECS: Readonly<Record<ProviderType, ProviderSpec>> = {
  openai: openAIProtocol('openai', 'OpenAI', 'https://api.openai.com/v1'),
  // the native Messages API; the adapter adds /v1/messages, /v1/models
  anthropic: native('anthropic', 'Anthropic', 'anthropic', 'https://api.anthropic.com'),
  // the Gemini Developer API; the adapter adds /v1beta/models/…
  gemini: native('gemini', 'Gemini', 'gemini', 'https://generativelanguage.googleapis.com'),
  // each Azure resource has its own endpoint (https://{resource}.openai.azure.com)
  'azure-openai': native('azure-openai', 'Azure OpenAI', 'azure-openai'),
  // Z.ai answers error messages in Chinese unless asked otherwise; docs.z.ai chat completions: one choice,
  // tool_choice "auto" only, no logprobs, logit_bias or penalties
  zai: openAIProtocol('zai', 'Z.ai', 'https://api.z.ai/api/paas/v4', {
    extraHeaders: { 'Accept-Language': 'en-US,en' },
    parameterGaps: [
      { param: 'n', honours: onlyOne, detail: 'n must be 1' },
      { param: 'tool_choice', honours: (value) => value === 'auto', detail: 'only "auto" is accepted' },
      ...gaps('logprobs', 'top_logprobs', 'logit_bias', 'presence_penalty', 'frequency_penalty'),
    ],
  }),
  // docs.perplexity.ai chat completions: no function calling, one choice, no logprobs or logit_bias
  perplexity: openAIProtocol('perplexity', 'Perplexity', 'https://api.perplexity.ai', {
    parameterGaps: [{ param: 'n', honours: onlyOne, detail: 'n must be 1' }, ...gaps('tools', 'tool_choice', 'parallel_tool_calls', 'logprobs', 'top_logprobs', 'logit_bias')],
  }),
  // console.groq.com/docs/openai: these "will result in a 400 error"; if n is supplied it must be 1
  groq: openAIProtocol('groq', 'Groq', 'https://api.groq.com/openai/v1', {
    parameterGaps: [{ param: 'n', honours: onlyOne, detail: 'n must be 1' }, ...gaps('logprobs', 'logit_bias', 'top_logprobs', 'messages.*.name')],
  }),
  mistral: openAIProtocol('mistral', 'Mistral', 'https://api.mistral.ai/v1'),
  deepseek: openAIProtocol('deepseek', 'DeepSeek', 'https://api.deepseek.com'),
  // OpenRouter's app attribution headers are optional; the title names us in its analytics
  openrouter: openAIProtocol('openrouter', 'OpenRouter', 'https://openrouter.ai/api/v1', { extraHeaders: { 'X-Title': 'ISH Chat' } }),
  together: openAIProtocol('together', 'Together AI', 'https://api.together.xyz/v1'),
  // a local Ollama serves the OpenAI protocol under /v1 and takes no key
  ollama: openAIProtocol('ollama', 'Ollama', 'http://127.0.0.1:11434/v1', { requiresApiKey: false }),
  // what such a server honours is unknown: everything is passed on, and its own 400 comes back
  'openai-compatible': openAIProtocol('openai-compatible', 'OpenAI-compatible', undefined, { requiresApiKey: false }),
};

export class ProviderConfigError extends Error {
  override readonly name = 'ProviderConfigError';
}

/**
 * The adapters add their own versioned paths (`/v1/messages`, `/v1beta/models`, `/openai/v1/…`), so a
 * base URL stored with that prefix (an Anthropic instance made for the OpenAI-compatibility endpoint,
 * `…/v1`) is cut back to the host's root.
 */
const VERSION_SUFFIX: Partial<Record<ProviderType, RegExp>> = {
  anthropic: /\/v1$/,
  gemini: /\/(v1|v1beta|v1alpha)(\/openai)?$/,
  'azure-openai': /\/openai(\/v1)?$/,
};

/** The instance's own base URL, else the provider's default; without trailing slashes or a version prefix the adapter adds. */
export function resolveBaseUrl(providerType: ProviderType, baseUrl?: string): string {
  const spec = PROVIDER_SPECS[providerType];
  const chosen = baseUrl?.trim() || spec.defaultBaseUrl;
  if (!chosen) throw new ProviderConfigError(`${spec.label} instances need a base URL`);
  const trimmed = chosen.replace(/\/+$/, '');
  const suffix = VERSION_SUFFIX[providerType];
  return suffix ? trimmed.replace(suffix, '') : trimmed;
}
