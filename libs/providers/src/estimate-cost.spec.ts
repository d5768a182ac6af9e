import { PROVIDER_TYPES } from '@ish/contracts';
import { estimateCostUsd, findModelPrice, MODEL_PRICES } from './estimate-cost';

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
