import OpenAI from 'openai';
import type { ProviderType } from '@ish/contracts';
import { PROVIDER_SPECS, ProviderConfigError, resolveBaseUrl } from './provider-specs';

export const DEFAULT_PROVIDER_TIMEOUT_MS = 60_000;

export interface ProviderClientOptions {
  providerType: ProviderType;
  /** the instance's base URL; empty or undefined takes the provider's default */
  baseUrl?: string;
  apiKey?: string;
  /** per-request timeout of this instance */
  timeoutMs?: number;
}

/**
 * An official `openai` SDK client for one instance. The SDK never retries (`maxRetries: 0`):
 * failover to another instance is ours, and an SDK retry would hide the failure from it.
 */
export function createProviderClient(options: ProviderClientOptions): OpenAI {
  const spec = PROVIDER_SPECS[options.providerType];
  const apiKey = options.apiKey?.trim() || undefined;
  if (!apiKey && spec.requiresApiKey) throw new ProviderConfigError(`${spec.label} instances need an API key`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new ProviderConfigError(`timeoutMs must be positive, got ${timeoutMs}`);

  return new OpenAI({
    // always explicit, so OPENAI_API_KEY / OPENAI_BASE_URL / OPENAI_ORG_ID in the env never leak into another provider
    apiKey: apiKey ?? '',
    baseURL: resolveBaseUrl(options.providerType, options.baseUrl),
    organization: null,
    project: null,
    webhookSecret: null,
    timeout: Math.ceil(timeoutMs),
    maxRetries: 0,
    defaultHeaders: { ...spec.extraHeaders, ...(apiKey ? {} : { Authorization: null }) },
  });
}
