import { PROVIDER_TYPES } from '@ish/contracts';
import { PROVIDER_SPECS, ProviderConfigError, providerRequestHeaders, resolveBaseUrl } from './provider-specs';

describe('PROVIDER_SPECS', () => {
  it('describes every provider type', () => {
    expect(Object.keys(PROVIDER_SPECS).sort()).toEqual([...PROVIDER_TYPES].sort());
    for (const type of PROVIDER_TYPES) expect(PROVIDER_SPECS[type].type).toBe(type);
  });

  it.each([
    ['openai', 'https://api.openai.com/v1'],
    ['anthropic', 'https://api.anthropic.com/v1'],
    ['zai', 'https://api.z.ai/api/paas/v4'],
    ['perplexity', 'https://api.perplexity.ai'],
    ['groq', 'https://api.groq.com/openai/v1'],
  ] as const)('%s defaults to %s', (type, url) => {
    expect(PROVIDER_SPECS[type].defaultBaseUrl).toBe(url);
    expect(resolveBaseUrl(type)).toBe(url);
    expect(resolveBaseUrl(type, '')).toBe(url);
  });

  it('has no default base URL for openai-compatible, and needs no key there', () => {
    expect(PROVIDER_SPECS['openai-compatible'].defaultBaseUrl).toBeUndefined();
    expect(PROVIDER_SPECS['openai-compatible'].requiresApiKey).toBe(false);
  });

  it('requires a key for every hosted provider', () => {
    for (const type of PROVIDER_TYPES.filter((t) => t !== 'openai-compatible')) expect(PROVIDER_SPECS[type].requiresApiKey).toBe(true);
  });
});

describe('resolveBaseUrl', () => {
  it('prefers the instance URL and drops trailing slashes', () => {
    expect(resolveBaseUrl('openai', 'http://sim:9000/v1/')).toBe('http://sim:9000/v1');
    expect(resolveBaseUrl('openai-compatible', ' http://localhost:11434/v1// ')).toBe('http://localhost:11434/v1');
  });

  it('fails for openai-compatible without a URL', () => {
    expect(() => resolveBaseUrl('openai-compatible')).toThrow(ProviderConfigError);
    expect(() => resolveBaseUrl('openai-compatible', '  ')).toThrow('OpenAI-compatible instances need a base URL');
  });
});

describe('providerRequestHeaders', () => {
  it('sends the key as a Bearer token', () => {
    expect(providerRequestHeaders('openai', 'sk-1')).toEqual({ Authorization: 'Bearer sk-1' });
  });

  it('adds the provider extra headers', () => {
    expect(providerRequestHeaders('zai', 'k')).toEqual({ 'Accept-Language': 'en-US,en', Authorization: 'Bearer k' });
  });

  it('sends no Authorization for a keyless openai-compatible endpoint', () => {
    expect(providerRequestHeaders('openai-compatible')).toEqual({});
  });

  it('refuses a hosted provider without a key', () => {
    expect(() => providerRequestHeaders('groq')).toThrow('Groq instances need an API key');
  });
});
