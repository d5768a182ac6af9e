import type { ModelPrices, ProviderType } from '@ish/contracts';

/** USD per 1M tokens; `cachedInput` prices the prompt tokens read from the provider's cache. */
export interface ModelPrice {
  input: number;
  output: number;
  cachedInput?: number;
}

/**
 * List prices per 1M tokens from each provider's public pricing page (read November 2025; Azure
 * OpenAI's global deployments price like OpenAI): ESTIMATES for usage reports, not billing (no batch
 * prices, long-context tiers or per-request search fees). An instance's `prices` override them. A model id
 * matches its longest listed prefix, so dated snapshots (`gpt-4o-2024-08-06`,
 * `claude-3-5-sonnet-20241022`) and `-latest` aliases price like their family.
 */
export const MODEL_PRICES: Readonly<Record<ProviderType, Readonly<Record<string, ModelPrice>>>> = {
  openai: {
    'gpt-5': { input: 1.25, output: 10, cachedInput: 0.125 },
    'gpt-5-mini': { input: 0.25, output: 2, cachedInput: 0.025 },
    'gpt-5-nano': { input: 0.05, output: 0.4, cachedInput: 0.005 },
    'gpt-4.1': { input: 2, output: 8, cachedInput: 0.5 },
    'gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1 },
    'gpt-4.1-nano': { input: 0.1, output: 0.4, cachedInput: 0.025 },
    'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
    'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
    'gpt-4-turbo': { input: 10, output: 30 },
    'gpt-4': { input: 30, output: 60 },
    'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
    o1: { input: 15, output: 60, cachedInput: 7.5 },
    'o1-mini': { input: 1.1, output: 4.4, cachedInput: 0.55 },
    o3: { input: 2, output: 8, cachedInput: 0.5 },
    'o3-mini': { input: 1.1, output: 4.4, cachedInput: 0.55 },
    'o4-mini': { input: 1.1, output: 4.4, cachedInput: 0.275 },
    // embeddings: input tokens only
    'text-embedding-3-small': { input: 0.02, output: 0 },
    'text-embedding-3-large': { input: 0.13, output: 0 },
    'text-embedding-ada-002': { input: 0.1, output: 0 },
  },
  // cache reads at 0.1× input (cache writes, 1.25×, are not told apart in usage)
  anthropic: {
    'claude-opus-4-5': { input: 5, output: 25, cachedInput: 0.5 },
    'claude-opus-4-1': { input: 15, output: 75, cachedInput: 1.5 },
    'claude-opus-4': { input: 15, output: 75, cachedInput: 1.5 },
    'claude-sonnet-4-5': { input: 3, output: 15, cachedInput: 0.3 },
    'claude-sonnet-4': { input: 3, output: 15, cachedInput: 0.3 },
    'claude-haiku-4-5': { input: 1, output: 5, cachedInput: 0.1 },
    'claude-3-7-sonnet': { input: 3, output: 15, cachedInput: 0.3 },
    'claude-3-5-sonnet': { input: 3, output: 15, cachedInput: 0.3 },
    'claude-3-5-haiku': { input: 0.8, output: 4, cachedInput: 0.08 },
    'claude-3-opus': { input: 15, output: 75, cachedInput: 1.5 },
    'claude-3-haiku': { input: 0.25, output: 1.25, cachedInput: 0.03 },
  },
  // prompts up to 200k tokens (Pro prices longer ones higher)
  gemini: {
    'gemini-3-pro-preview': { input: 2, output: 12, cachedInput: 0.2 },
    'gemini-2.5-pro': { input: 1.25, output: 10, cachedInput: 0.125 },
    'gemini-2.5-flash': { input: 0.3, output: 2.5, cachedInput: 0.03 },
    'gemini-2.5-flash-lite': { input: 0.1, output: 0.4, cachedInput: 0.01 },
    'gemini-2.0-flash': { input: 0.1, output: 0.4, cachedInput: 0.025 },
    'gemini-2.0-flash-lite': { input: 0.075, output: 0.3 },
    'gemini-embedding-001': { input: 0.15, output: 0 },
  },
  'azure-openai': {},
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
  mistral: {
    'mistral-large': { input: 2, output: 6 },
    'mistral-medium': { input: 0.4, output: 2 },
    'mistral-small': { input: 0.1, output: 0.3 },
    codestral: { input: 0.3, output: 0.9 },
    'ministral-8b': { input: 0.1, output: 0.1 },
    'ministral-3b': { input: 0.04, output: 0.04 },
    'mistral-embed': { input: 0.1, output: 0 },
  },
  // V3.2 prices for both modes; a cache hit costs a tenth
  deepseek: {
    'deepseek-chat': { input: 0.28, output: 0.42, cachedInput: 0.028 },
    'deepseek-reasoner': { input: 0.28, output: 0.42, cachedInput: 0.028 },
  },
  // OpenRouter resells hundreds of models at changing prices: an instance names its own
  openrouter: {},
  together: {
    'meta-llama/llama-3.3-70b-instruct-turbo': { input: 0.88, output: 0.88 },
    'meta-llama/meta-llama-3.1-8b-instruct-turbo': { input: 0.18, output: 0.18 },
    'deepseek-ai/deepseek-v3': { input: 1.25, output: 1.25 },
    'qwen/qwen2.5-72b-instruct-turbo': { input: 1.2, output: 1.2 },
  },
  // self-hosted or unknown endpoints: no list price to estimate from
  ollama: {},
  'openai-compatible': {},
};

/** Azure OpenAI deployments run OpenAI's models at OpenAI's list prices (global deployments). */
const PRICE_TABLE_OF: Partial<Record<ProviderType, ProviderType>> = { 'azure-openai': 'openai' };

/** The listed price of a model: exact id, else the longest listed prefix followed by `-`. */
export function findModelPrice(providerType: ProviderType, model: string): ModelPrice | undefined {
  const prices = MODEL_PRICES[PRICE_TABLE_OF[providerType] ?? providerType];
  const id = model.trim().toLowerCase();
  if (Object.hasOwn(prices, id)) return prices[id];
  let best: string | undefined;
  for (const listed of Object.keys(prices)) {
    if (id.startsWith(`${listed}-`) && (!best || listed.length > best.length)) best = listed;
  }
  return best === undefined ? undefined : prices[best];
}

/** The tokens of one call; `cachedPromptTokens` are part of `promptTokens` (OpenAI's `prompt_tokens_details.cached_tokens`). */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  cachedPromptTokens?: number;
}

export interface CostEstimate {
  costUsd: number;
  /** no price for the model, neither the instance's nor the built-in table's: the cost is 0 */
  unpriced: boolean;
}

/** The instance's own price of a model (exact id), else the built-in table's. */
export function priceOf(providerType: ProviderType, model: string, overrides?: ModelPrices | null): ModelPrice | undefined {
  const own = overrides && Object.hasOwn(overrides, model) ? overrides[model] : undefined;
  if (own) return { input: own.inputPerMTok, output: own.outputPerMTok, cachedInput: own.cachedInputPerMTok };
  return findModelPrice(providerType, model);
}

/** Estimated USD cost of one call; cached prompt tokens at the cached price (the input price when none is listed). */
export function estimateCost(providerType: ProviderType, model: string, usage: TokenUsage, overrides?: ModelPrices | null): CostEstimate {
  const price = priceOf(providerType, model, overrides);
  if (!price) return { costUsd: 0, unpriced: true };
  const tokens = (count: number | undefined) => (count !== undefined && Number.isFinite(count) && count > 0 ? count : 0);
  const prompt = tokens(usage.promptTokens);
  const cached = Math.min(tokens(usage.cachedPromptTokens), prompt);
  const costUsd = ((prompt - cached) * price.input + cached * (price.cachedInput ?? price.input) + tokens(usage.completionTokens) * price.output) / 1_000_000;
  return { costUsd, unpriced: false };
}

/** Estimated USD cost of one call at the built-in prices; 0 for a model without a listed price. */
export function estimateCostUsd(providerType: ProviderType, model: string, promptTokens: number, completionTokens: number): number {
  return estimateCost(providerType, model, { promptTokens, completionTokens }).costUsd;
}
