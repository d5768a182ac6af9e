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

describe('ResponseCache keys of chat completions', () => {
  const params = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], temperature: 0 };

  it('caches deterministic requests without tools only', () => {
    expect(ResponseCache.isCacheableCompletion(params)).toBe(true);
    expect(ResponseCache.isCacheableCompletion({ ...params, tools: [] })).toBe(true);
    expect(ResponseCache.isCacheableCompletion({ ...params, tools: [{ type: 'function', function: { name: 'f' } }] })).toBe(false);
    expect(ResponseCache.isCacheableCompletion({ ...params, temperature: 0.5 })).toBe(false);
    expect(ResponseCache.isCacheableCompletion({ ...params, temperature: undefined })).toBe(false);
  });

  it('keys on the whole request, unknown parameters and drop_params included', () => {
    const key = ResponseCache.completionKeyOf(params, false);
    expect(ResponseCache.completionKeyOf({ ...params }, false)).toBe(key);
    expect(ResponseCache.completionKeyOf({ ...params, n: 2 }, false)).not.toBe(key);
    expect(ResponseCache.completionKeyOf({ ...params, some_new_param: true }, false)).not.toBe(key);
    expect(ResponseCache.completionKeyOf({ ...params, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://a.example/x.png' } }] }] }, false)).not.toBe(key);
    expect(ResponseCache.completionKeyOf(params, true)).not.toBe(key);
    expect(key).not.toBe(ResponseCache.keyOf({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], temperature: 0 }));
  });
});
