import { ResponseCache } from './response-cache';

const base = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hi' }], temperature: 0 };

describe('ResponseCache keys', () => {
  it('caches only deterministic requests', () => {
    expect(ResponseCache.isCacheable(base)).toBe(true);
    expect(ResponseCache.isCacheable({ ...base, temperature: 0.7 })).toBe(false);
    expect(ResponseCache.isCacheable({ ...base, temperature: undefined })).toBe(false);
  });

  it('keys on model, messages and limits', () => {
    const key = ResponseCache.keyOf(base);
    expect(ResponseCache.keyOf({ ...base })).toBe(key);
    expect(ResponseCache.keyOf({ ...base, model: 'gpt-4o-mini' })).not.toBe(key);
    expect(ResponseCache.keyOf({ ...base, messages: [{ role: 'user', content: 'hi!' }] })).not.toBe(key);
    expect(ResponseCache.keyOf({ ...base, maxTokens: 5 })).not.toBe(key);
    expect(key).toMatch(/^ish:llm-cache:[0-9a-f]{64}$/);
  });
});
