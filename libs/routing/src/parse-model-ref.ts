import { PROVIDER_TYPES, ProviderType } from '@ish/contracts';

/** `model` as a client wrote it: a model id, `provider/model`, `auto` or `provider/auto`. */
export interface ModelRef {
  provider?: ProviderType;
  model: string;
}

export const AUTO_MODEL = 'auto';

const PROVIDERS: ReadonlySet<string> = new Set(PROVIDER_TYPES);

/**
 * Splits `provider/model` only when the prefix is a known provider type, because model ids
 * themselves contain slashes (`meta-llama/llama-4-scout-17b-16e-instruct` on Groq).
 */
export function parseModelRef(ref: string): ModelRef {
  const trimmed = ref.trim();
  const slash = trimmed.indexOf('/');
  if (slash > 0) {
    const prefix = trimmed.slice(0, slash);
    const model = trimmed.slice(slash + 1).trim();
    const provider = prefix.toLowerCase();
    if (PROVIDERS.has(provider) && model) return { provider: provider as ProviderType, model };
  }
  return { model: trimmed };
}
