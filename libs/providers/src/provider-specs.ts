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
}

export const PROVIDER_SPECS: Readonly<Record<ProviderType, ProviderSpec>> = {
  openai: {
    type: 'openai',
    label: 'OpenAI',
    defaultBaseUrl: 'https://api.openai.com/v1',
    requiresApiKey: true,
    extraHeaders: {},
  },
  anthropic: {
    type: 'anthropic',
    label: 'Anthropic',
    // Anthropic's OpenAI-compatible endpoint, which takes the key as a Bearer token
    defaultBaseUrl: 'https://api.anthropic.com/v1',
    requiresApiKey: true,
    extraHeaders: {},
  },
  zai: {
    type: 'zai',
    label: 'Z.ai',
    defaultBaseUrl: 'https://api.z.ai/api/paas/v4',
    requiresApiKey: true,
    // Z.ai answers error messages in Chinese unless asked otherwise
    extraHeaders: { 'Accept-Language': 'en-US,en' },
  },
  perplexity: {
    type: 'perplexity',
    label: 'Perplexity',
    defaultBaseUrl: 'https://api.perplexity.ai',
    requiresApiKey: true,
    extraHeaders: {},
  },
  groq: {
    type: 'groq',
    label: 'Groq',
    defaultBaseUrl: 'https://api.groq.com/openai/v1',
    requiresApiKey: true,
    extraHeaders: {},
  },
  'openai-compatible': {
    type: 'openai-compatible',
    label: 'OpenAI-compatible',
    requiresApiKey: false,
    extraHeaders: {},
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
