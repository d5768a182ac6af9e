import { effectiveAllowedModels, isModelAllowed, isModelAllowedByAll, unknownModelEntries } from './allowed-models';

describe('isModelAllowed', () => {
  it('allows everything without a list', () => {
    expect(isModelAllowed(null, { model: 'gpt-4o' })).toBe(true);
    expect(isModelAllowed(undefined, { model: 'anything' })).toBe(true);
  });

  it('an empty list allows nothing', () => {
    expect(isModelAllowed([], { model: 'gpt-4o' }, ['openai'])).toBe(false);
  });

  it('matches a model id, bare or with its provider', () => {
    expect(isModelAllowed(['gpt-4o'], { model: 'gpt-4o' })).toBe(true);
    expect(isModelAllowed(['gpt-4o'], { model: 'openai/gpt-4o' })).toBe(true);
    expect(isModelAllowed(['gpt-4o'], { model: 'gpt-4o-mini' })).toBe(false);
    expect(isModelAllowed(['openai/gpt-4o'], { model: 'openai/gpt-4o' })).toBe(true);
    expect(isModelAllowed(['openai/gpt-4o'], { model: 'groq/gpt-4o' })).toBe(false);
    expect(isModelAllowed(['openai/gpt-4o'], { model: 'gpt-4o', provider: 'openai' })).toBe(true);
  });

  it('matches provider/* on that provider only', () => {
    expect(isModelAllowed(['anthropic/*'], { model: 'anthropic/claude-sonnet-4' })).toBe(true);
    expect(isModelAllowed(['anthropic/*'], { model: 'claude-sonnet-4', provider: 'anthropic' })).toBe(true);
    expect(isModelAllowed(['anthropic/*'], { model: 'openai/gpt-4o' })).toBe(false);
    expect(isModelAllowed(['Anthropic/*'], { model: 'anthropic/claude-sonnet-4' })).toBe(true);
  });

  it('allows a bare id by provider entries only when they cover every provider that could serve it', () => {
    expect(isModelAllowed(['anthropic/*'], { model: 'claude-sonnet-4' }, ['anthropic'])).toBe(true);
    expect(isModelAllowed(['anthropic/*'], { model: 'claude-sonnet-4' }, ['anthropic', 'openai'])).toBe(false);
    expect(isModelAllowed(['anthropic/*', 'openai/claude-sonnet-4'], { model: 'claude-sonnet-4' }, ['anthropic', 'openai'])).toBe(true);
    expect(isModelAllowed(['anthropic/*'], { model: 'claude-sonnet-4' }, [])).toBe(false);
  });

  it('matches aliases and auto by name only', () => {
    expect(isModelAllowed(['fast'], { model: 'fast' })).toBe(true);
    expect(isModelAllowed(['gpt-4o'], { model: 'fast' })).toBe(false);
    expect(isModelAllowed(['gpt-4o'], { model: 'auto' }, ['openai'])).toBe(false);
    expect(isModelAllowed(['auto'], { model: 'auto' })).toBe(true);
  });

  it('keeps slashes of model ids that are not a provider prefix', () => {
    expect(isModelAllowed(['meta-llama/llama-4-scout'], { model: 'meta-llama/llama-4-scout' })).toBe(true);
    expect(isModelAllowed(['groq/*'], { model: 'groq/meta-llama/llama-4-scout' })).toBe(true);
    expect(isModelAllowed(['meta-llama/*'], { model: 'meta-llama/llama-4-scout' })).toBe(false);
  });

  it('needs every list to allow: an owner list caps a key list', () => {
    expect(isModelAllowedByAll([['gpt-4o', 'claude-sonnet-4'], ['gpt-4o']], { model: 'claude-sonnet-4' })).toBe(false);
    expect(isModelAllowedByAll([['gpt-4o', 'claude-sonnet-4'], ['gpt-4o']], { model: 'gpt-4o' })).toBe(true);
    expect(isModelAllowedByAll([null, ['gpt-4o']], { model: 'gpt-4o-mini' })).toBe(false);
  });
});

describe('effectiveAllowedModels', () => {
  it('is the other list when one is absent', () => {
    expect(effectiveAllowedModels(null, null)).toBeNull();
    expect(effectiveAllowedModels(['gpt-4o'], null)).toEqual(['gpt-4o']);
    expect(effectiveAllowedModels(undefined, ['openai/*'])).toEqual(['openai/*']);
  });

  it('keeps what both allow', () => {
    expect(effectiveAllowedModels(['gpt-4o', 'claude-sonnet-4'], ['gpt-4o'])).toEqual(['gpt-4o']);
    expect(effectiveAllowedModels(['openai/*'], ['gpt-4o', 'claude-sonnet-4'])).toEqual(['openai/gpt-4o', 'openai/claude-sonnet-4']);
    expect(effectiveAllowedModels(['openai/*'], ['anthropic/*'])).toEqual([]);
    expect(effectiveAllowedModels(['openai/gpt-4o'], ['openai/*'])).toEqual(['openai/gpt-4o']);
  });
});

describe('unknownModelEntries', () => {
  const instance = (providerType: string, models: string[]) => ({ providerType, models }) as never;

  it('names entries no instance, provider, fallback or auto knows', () => {
    const table = { instances: [instance('openai', ['gpt-4o']), instance('anthropic', ['claude-sonnet-4'])], fallbacks: { 'big': ['gpt-4o'] } };
    expect(unknownModelEntries(['gpt-4o', 'openai/gpt-4o', 'anthropic/*', 'auto', 'big', 'gemini/*'], table)).toEqual([]);
    expect(unknownModelEntries(['gpt-5', 'anthropic/gpt-4o', 'nobody/*'], table)).toEqual(['gpt-5', 'anthropic/gpt-4o', 'nobody/*']);
  });

  it('knows the routing policy\'s aliases by name', () => {
    const table = { instances: [instance('openai', ['gpt-4o'])], aliases: { smart: ['gpt-4o'] } };
    expect(unknownModelEntries(['smart', 'clever'], table)).toEqual(['clever']);
  });

  it('knows any id a catch-all instance could serve', () => {
    const table = { instances: [instance('openai', [])] };
    expect(unknownModelEntries(['gpt-5', 'openai/gpt-5', 'anthropic/claude'], table)).toEqual(['anthropic/claude']);
  });
});
