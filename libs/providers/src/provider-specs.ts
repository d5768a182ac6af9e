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
}

const openAIProtocol = (type: ProviderType, label: string, defaultBaseUrl: string | undefined, extra: Partial<ProviderSpec> = {}): ProviderSpec => ({
  type,
  label,
  protocol: 'openai',
  defaultBaseUrl,
  requiresApiKey: true,
  extraHeaders: {},
  ...extra,
});

export const PROVIDER_SPECS: Readonly<Record<ProviderType, ProviderSpec>> = {
  openai: openAIProtocol('openai', 'OpenAI', 'https://api.openai.com/v1'),
  // the native Messages API; the adapter adds /v1/messages, /v1/models
  anthropic: { type: 'anthropic', label: 'Anthropic', protocol: 'anthropic', defaultBaseUrl: 'https://api.anthropic.com', requiresApiKey: true, extraHeaders: {} },
  // the Gemini Developer API; the adapter adds /v1beta/models/…
  gemini: { type: 'gemini', label: 'Gemini', protocol: 'gemini', defaultBaseUrl: 'https://generativelanguage.googleapis.com', requiresApiKey: true, extraHeaders: {} },
  // each Azure resource has its own endpoint (https://{resource}.openai.azure.com)
  'azure-openai': { type: 'azure-openai', label: 'Azure OpenAI', protocol: 'azure-openai', requiresApiKey: true, extraHeaders: {} },
  // Z.ai answers error messages in Chinese unless asked otherwise
  zai: openAIProtocol('zai', 'Z.ai', 'https://api.z.ai/api/paas/v4', { extraHeaders: { 'Accept-Language': 'en-US,en' } }),
  perplexity: openAIProtocol('perplexity', 'Perplexity', 'https://api.perplexity.ai'),
  groq: openAIProtocol('groq', 'Groq', 'https://api.groq.com/openai/v1'),
  mistral: openAIProtocol('mistral', 'Mistral', 'https://api.mistral.ai/v1'),
  deepseek: openAIProtocol('deepseek', 'DeepSeek', 'https://api.deepseek.com'),
  // OpenRouter's app attribution headers are optional; the title names us in its analytics
  openrouter: openAIProtocol('openrouter', 'OpenRouter', 'https://openrouter.ai/api/v1', { extraHeaders: { 'X-Title': 'ISH Chat' } }),
  together: openAIProtocol('together', 'Together AI', 'https://api.together.xyz/v1'),
  // a local Ollama serves the OpenAI protocol under /v1 and takes no key
  ollama: openAIProtocol('ollama', 'Ollama', 'http://127.0.0.1:11434/v1', { requiresApiKey: false }),
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
