import type { ProviderType } from '@ish/contracts';

/** USD per 1M tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

/**
 * List prices per 1M tokens as published by each provider in 2025: ESTIMATES for usage reports,
 * not billing (no cached-input discounts, batch prices or per-request search fees). A model id
 * matches its longest listed prefix, so dated snapshots (`gpt-4o-2024-08-06`,
 * `claude-3-5-sonnet-20241022`) and `-latest` aliases price like their family.
 */
export const MODEL_PRICES: Readonly<Record<ProviderType, Readonly<Record<string, ModelPrice>>>> = {
  openai: {
    'gpt-5': { input: 1.25, output: 10 },
    'gpt-5-mini': { input: 0.25, output: 2 },
    'gpt-5-nano': { input: 0.05, output: 0.4 },
    'gpt-4.1': { input: 2, output: 8 },
    'gpt-4.1-mini': { input: 0.4, output: 1.6 },
    'gpt-4.1-nano': { input: 0.1, output: 0.4 },
    'gpt-4o': { input: 2.5, output: 10 },
    'gpt-4o-mini': { input: 0.15, output: 0.6 },
    'gpt-4-turbo': { input: 10, output: 30 },
    'gpt-4': { input: 30, output: 60 },
    'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
    o1: { input: 15, output: 60 },
    'o1-mini': { input: 1.1, output: 4.4 },
    o3: { input: 2, output: 8 },
    'o3-mini': { input: 1.1, output: 4.4 },
    'o4-mini': { input: 1.1, output: 4.4 },
    // embeddings: input tokens only
    'text-embedding-3-small': { input: 0.02, output: 0 },
    'text-embedding-3-large': { input: 0.13, output: 0 },
    'text-embedding-ada-002': { input: 0.1, output: 0 },
  },
  anthropic: {
    'claude-opus-4': { input: 15, output: 75 },
    'claude-sonnet-4': { input: 3, output: 15 },
    'claude-haiku-4-5': { input: 1, output: 5 },
    'claude-3-7-sonnet': { input: 3, output: 15 },
    'claude-3-5-sonnet': { input: 3, output: 15 },
    'claude-3-5-haiku': { input: 0.8, output: 4 },
    'claude-3-opus': { input: 15, output: 75 },
    'claude-3-haiku': { input: 0.25, output: 1.25 },
  },
  zai: {
    'glm-4.6': { input: 0.6, output: 2.2 },
    'glm-4.5': { input: 0.6, output: 2.2 },
    'glm-4.5-air': { input: 0.2, output: 1.1 },
    'glm-4.5-flash': { input: 0, output: 0 },
  },
  perplexity: {
    sonar: { input: 1, output: 1 },
    'sonar-pro': { input: 3, output: 15 },
    'sonar-reasoning': { input: 1, output: 5 },
    'sonar-reasoning-pro': { input: 2, output: 8 },
    'sonar-deep-research': { input: 2, output: 8 },
  },
  groq: {
    'llama-3.1-8b-instant': { input: 0.05, output: 0.08 },
    'llama-3.3-70b-versatile': { input: 0.59, output: 0.79 },
    'openai/gpt-oss-120b': { input: 0.15, output: 0.75 },
    'openai/gpt-oss-20b': { input: 0.1, output: 0.5 },
    'meta-llama/llama-4-scout-17b-16e-instruct': { input: 0.11, output: 0.34 },
    'meta-llama/llama-4-maverick-17b-128e-instruct': { input: 0.2, output: 0.6 },
    'qwen/qwen3-32b': { input: 0.29, output: 0.59 },
  },
  // self-hosted or unknown endpoints: no list price to estimate from
  'openai-compatible': {},
};

/** The listed price of a model: exact id, else the longest listed prefix followed by `-`. */
export function findModelPrice(providerType: ProviderType, model: string): ModelPrice | undefined {
  const prices = MODEL_PRICES[providerType];
  const id = model.trim().toLowerCase();
  if (Object.hasOwn(prices, id)) return prices[id];
  let best: string | undefined;
  for (const listed of Object.keys(prices)) {
    if (id.startsWith(`${listed}-`) && (!best || listed.length > best.length)) best = listed;
  }
  return best === undefined ? undefined : prices[best];
}

/** Estimated USD cost of one call; 0 for a model without a listed price. */
export function estimateCostUsd(providerType: ProviderType, model: string, promptTokens: number, completionTokens: number): number {
  const price = findModelPrice(providerType, model);
  if (!price) return 0;
  const tokens = (count: number) => (Number.isFinite(count) && count > 0 ? count : 0);
  return (tokens(promptTokens) * price.input + tokens(completionTokens) * price.output) / 1_000_000;
}
