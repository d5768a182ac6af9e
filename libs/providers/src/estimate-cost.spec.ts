import { PROVIDER_TYPES } from '@ish/contracts';
import { estimateCost, estimateCostUsd, findModelPrice, MODEL_PRICES } from './estimate-cost';

describe('estimateCostUsd', () => {
  it('prices prompt and completion tokens per 1M', () => {
    expect(estimateCostUsd('openai', 'gpt-4o', 1_000_000, 0)).toBeCloseTo(2.5, 10);
    expect(estimateCostUsd('openai', 'gpt-4o', 0, 1_000_000)).toBeCloseTo(10, 10);
    expect(estimateCostUsd('openai', 'gpt-4o-mini', 1000, 500)).toBeCloseTo((1000 * 0.15 + 500 * 0.6) / 1e6, 12);
    expect(estimateCostUsd('anthropic', 'claude-sonnet-4', 2000, 1000)).toBeCloseTo(0.021, 12);
  });

  it("prices OpenAI's embedding models by their input tokens", () => {
    expect(estimateCostUsd('openai', 'text-embedding-3-small', 1_000_000, 0)).toBeCloseTo(0.02, 10);
    expect(estimateCostUsd('openai', 'text-embedding-3-large', 1_000_000, 0)).toBeCloseTo(0.13, 10);
    expect(estimateCostUsd('openai', 'text-embedding-ada-002', 500_000, 0)).toBeCloseTo(0.05, 10);
  });

  it('prices dated snapshots and aliases like their family', () => {
    expect(findModelPrice('openai', 'gpt-4o-2024-08-06')).toEqual(MODEL_PRICES.openai['gpt-4o']);
    expect(findModelPrice('openai', 'gpt-4o-mini-2024-07-18')).toEqual(MODEL_PRICES.openai['gpt-4o-mini']);
    expect(findModelPrice('anthropic', 'claude-3-5-sonnet-20241022')).toEqual(MODEL_PRICES.anthropic['claude-3-5-sonnet']);
    expect(findModelPrice('anthropic', 'claude-3-5-haiku-latest')).toEqual(MODEL_PRICES.anthropic['claude-3-5-haiku']);
    expect(findModelPrice('anthropic', 'claude-sonnet-4-20250514')).toEqual(MODEL_PRICES.anthropic['claude-sonnet-4']);
  });

  it('matches the longest listed prefix, never a bare substring', () => {
    expect(findModelPrice('openai', 'o3-mini')).toEqual(MODEL_PRICES.openai['o3-mini']);
    expect(findModelPrice('openai', 'o3-mini-2025-01-31')).toEqual(MODEL_PRICES.openai['o3-mini']);
    expect(findModelPrice('openai', 'gpt-4.1-nano-2025-04-14')).toEqual(MODEL_PRICES.openai['gpt-4.1-nano']);
    expect(findModelPrice('openai', 'gpt-4ox')).toBeUndefined();
    expect(findModelPrice('zai', 'glm-4.5-air')).toEqual(MODEL_PRICES.zai['glm-4.5-air']);
  });

  it('is case-insensitive and trims', () => {
    expect(findModelPrice('openai', ' GPT-4o ')).toEqual(MODEL_PRICES.openai['gpt-4o']);
  });

  it('prices models whose id contains a slash', () => {
    expect(estimateCostUsd('groq', 'openai/gpt-oss-120b', 1_000_000, 1_000_000)).toBeCloseTo(0.9, 10);
  });

  it('is 0 for unknown models, unknown providers-of-a-model and openai-compatible', () => {
    expect(estimateCostUsd('openai', 'my-finetune', 1000, 1000)).toBe(0);
    expect(estimateCostUsd('groq', 'gpt-4o', 1000, 1000)).toBe(0);
    expect(estimateCostUsd('openai-compatible', 'gpt-4o', 1000, 1000)).toBe(0);
    expect(estimateCostUsd('openai', 'constructor', 1000, 1000)).toBe(0);
  });

  it('counts negative or non-finite token counts as 0', () => {
    expect(estimateCostUsd('openai', 'gpt-4o', -5, Number.NaN)).toBe(0);
    expect(estimateCostUsd('openai', 'gpt-4o', Number.POSITIVE_INFINITY, 1_000_000)).toBeCloseTo(10, 10);
  });

  it('lists non-negative prices for every provider', () => {
    for (const type of PROVIDER_TYPES) {
      for (const [model, price] of Object.entries(MODEL_PRICES[type])) {
        expect(model).toBe(model.toLowerCase());
        expect(price.input).toBeGreaterThanOrEqual(0);
        expect(price.output).toBeGreaterThanOrEqual(0);
      }
    }
  });
});

describe('estimateCost', () => {
  it('prices cached prompt tokens at the cached price', () => {
    // 1M prompt tokens of which 400k cached, gpt-4o: 600k × 2.5 + 400k × 1.25
    expect(estimateCost('openai', 'gpt-4o', { promptTokens: 1_000_000, completionTokens: 0, cachedPromptTokens: 400_000 }).costUsd).toBeCloseTo(1.5 + 0.5, 10);
    expect(estimateCost('anthropic', 'claude-sonnet-4-5', { promptTokens: 1_000_000, completionTokens: 0, cachedPromptTokens: 1_000_000 }).costUsd).toBeCloseTo(0.3, 10);
  });

  it('prices cached tokens at the input price when no cached price is listed', () => {
    expect(estimateCost('mistral', 'mistral-small-latest', { promptTokens: 1_000_000, completionTokens: 0, cachedPromptTokens: 500_000 }).costUsd).toBeCloseTo(0.1, 10);
  });

  it("takes the instance's own price over the table's", () => {
    const prices = { 'gpt-4o': { inputPerMTok: 1, outputPerMTok: 2, cachedInputPerMTok: 0.5 } };
    expect(estimateCost('openai', 'gpt-4o', { promptTokens: 1_000_000, completionTokens: 1_000_000, cachedPromptTokens: 500_000 }, prices)).toEqual({ costUsd: 0.5 + 0.25 + 2, unpriced: false });
  });

  it('marks a model without any price unpriced, at 0', () => {
    expect(estimateCost('openrouter', 'some/model', { promptTokens: 10, completionTokens: 10 })).toEqual({ costUsd: 0, unpriced: true });
    expect(estimateCost('openrouter', 'some/model', { promptTokens: 10, completionTokens: 10 }, { 'some/model': { inputPerMTok: 1, outputPerMTok: 1 } }).unpriced).toBe(false);
  });

  it('prices Azure OpenAI deployments of OpenAI models like OpenAI, and Gemini models from its own table', () => {
    expect(findModelPrice('azure-openai', 'gpt-4o-mini')).toEqual(MODEL_PRICES.openai['gpt-4o-mini']);
    expect(findModelPrice('gemini', 'gemini-2.5-flash')).toEqual(MODEL_PRICES.gemini['gemini-2.5-flash']);
    expect(findModelPrice('gemini', 'gemini-2.5-flash-lite')).toEqual(MODEL_PRICES.gemini['gemini-2.5-flash-lite']);
  });
});
