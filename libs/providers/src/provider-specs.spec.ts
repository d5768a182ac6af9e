import { PROVIDER_TYPES } from '@ish/contracts';
import { PROVIDER_SPECS, ProviderConfigError, resolveBaseUrl } from './provider-specs';

describe('PROVIDER_SPECS', () => {
  it('describes every provider type', () => {
    expect(Object.keys(PROVIDER_SPECS).sort()).toEqual([...PROVIDER_TYPES].sort());
    for (const type of PROVIDER_TYPES) expect(PROVIDER_SPECS[type].type).toBe(type);
  });

  it.each([
    ['openai', 'https://api.openai.com/v1'],
    ['anthropic', 'https://api.anthropic.com'],
    ['gemini', 'https://generativelanguage.googleapis.com'],
    ['zai', 'https://api.z.ai/api/paas/v4'],
    ['perplexity', 'https://api.perplexity.ai'],
    ['groq', 'https://api.groq.com/openai/v1'],
    ['mistral', 'https://api.mistral.ai/v1'],
    ['deepseek', 'https://api.deepseek.com'],
    ['openrouter', 'https://openrouter.ai/api/v1'],
    ['together', 'https://api.together.xyz/v1'],
    ['ollama', 'http://127.0.0.1:11434/v1'],
  ] as const)('%s defaults to %s', (type, url) => {
    expect(PROVIDER_SPECS[type].defaultBaseUrl).toBe(url);
    expect(resolveBaseUrl(type)).toBe(url);
    expect(resolveBaseUrl(type, '')).toBe(url);
  });

  it('has no default base URL for openai-compatible, and needs no key there', () => {
    expect(PROVIDER_SPECS['openai-compatible'].defaultBaseUrl).toBeUndefined();
    expect(PROVIDER_SPECS['openai-compatible'].requiresApiKey).toBe(false);
  });

  it('requires a key for every hosted provider, not for Ollama', () => {
    for (const type of PROVIDER_TYPES.filter((t) => t !== 'openai-compatible' && t !== 'ollama')) expect(PROVIDER_SPECS[type].requiresApiKey).toBe(true);
    expect(PROVIDER_SPECS.ollama.requiresApiKey).toBe(false);
  });

  it('speaks each native protocol where there is one, the OpenAI protocol elsewhere', () => {
    expect(PROVIDER_SPECS.anthropic.protocol).toBe('anthropic');
    expect(PROVIDER_SPECS.gemini.protocol).toBe('gemini');
    expect(PROVIDER_SPECS['azure-openai'].protocol).toBe('azure-openai');
    for (const type of ['openai', 'zai', 'perplexity', 'groq', 'mistral', 'deepseek', 'openrouter', 'together', 'ollama', 'openai-compatible'] as const) {
      expect(PROVIDER_SPECS[type].protocol).toBe('openai');
    }
  });

  it('has Azure OpenAI name its own resource endpoint', () => {
    expect(() => resolveBaseUrl('azure-openai')).toThrow('Azure OpenAI instances need a base URL');
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

describe('resolveBaseUrl of native protocols', () => {
  it('cuts the version prefix the adapter adds itself (Anthropic instances stored for the OpenAI-compatible endpoint keep working)', () => {
    expect(resolveBaseUrl('anthropic', 'https://api.anthropic.com/v1')).toBe('https://api.anthropic.com');
    expect(resolveBaseUrl('anthropic', 'http://sim:9000/v1/')).toBe('http://sim:9000');
    expect(resolveBaseUrl('gemini', 'https://generativelanguage.googleapis.com/v1beta')).toBe('https://generativelanguage.googleapis.com');
    expect(resolveBaseUrl('azure-openai', 'https://res.openai.azure.com/openai/v1')).toBe('https://res.openai.azure.com');
    expect(resolveBaseUrl('azure-openai', 'https://res.openai.azure.com/openai')).toBe('https://res.openai.azure.com');
  });

  it('leaves OpenAI-protocol paths alone', () => {
    expect(resolveBaseUrl('openai', 'http://sim:9000/v1')).toBe('http://sim:9000/v1');
  });
});
