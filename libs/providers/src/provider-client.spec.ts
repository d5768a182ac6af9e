import OpenAI from 'openai';
import { createProviderClient, DEFAULT_PROVIDER_TIMEOUT_MS } from './create-provider-client';
import { ProviderConfigError } from './provider-specs';

async function requestHeaders(client: OpenAI): Promise<Headers> {
  const { req } = await client.buildRequest({ method: 'post', path: '/chat/completions', body: { model: 'm', messages: [] } });
  return new Headers(req.headers as ConstructorParameters<typeof Headers>[0]);
}

describe('createProviderClient', () => {
  const savedEnv = { ...process.env };
  afterEach(() => {
    process.env = { ...savedEnv };
  });

  it('never retries on its own and uses the instance timeout', () => {
    const client = createProviderClient({ providerType: 'openai', apiKey: 'sk-test', timeoutMs: 1234 });
    expect(client.maxRetries).toBe(0);
    expect(client.timeout).toBe(1234);
  });

  it('defaults the timeout to 60 s and rounds fractions up', () => {
    expect(createProviderClient({ providerType: 'openai', apiKey: 'k' }).timeout).toBe(DEFAULT_PROVIDER_TIMEOUT_MS);
    expect(createProviderClient({ providerType: 'openai', apiKey: 'k', timeoutMs: 10.2 }).timeout).toBe(11);
  });

  it.each([0, -1, Number.NaN])('refuses timeout %p', (timeoutMs) => {
    expect(() => createProviderClient({ providerType: 'openai', apiKey: 'k', timeoutMs })).toThrow(ProviderConfigError);
  });

  it.each([
    ['openai', 'https://api.openai.com/v1'],
    ['anthropic', 'https://api.anthropic.com/v1'],
    ['zai', 'https://api.z.ai/api/paas/v4'],
    ['perplexity', 'https://api.perplexity.ai'],
    ['groq', 'https://api.groq.com/openai/v1'],
  ] as const)('points %s at %s by default', (providerType, url) => {
    expect(createProviderClient({ providerType, apiKey: 'k' }).baseURL).toBe(url);
  });

  it('uses the instance base URL when given', () => {
    expect(createProviderClient({ providerType: 'openai', apiKey: 'k', baseUrl: 'http://127.0.0.1:9100/v1/' }).baseURL).toBe(
      'http://127.0.0.1:9100/v1',
    );
  });

  it('builds requests against the base URL with the key as a Bearer token', async () => {
    const client = createProviderClient({ providerType: 'groq', apiKey: 'gsk-secret', baseUrl: 'http://sim.local/openai/v1' });
    const { url } = await client.buildRequest({ method: 'post', path: '/chat/completions', body: {} });
    expect(url).toBe('http://sim.local/openai/v1/chat/completions');
    expect((await requestHeaders(client)).get('authorization')).toBe('Bearer gsk-secret');
  });

  it('sends the provider extra headers', async () => {
    const headers = await requestHeaders(createProviderClient({ providerType: 'zai', apiKey: 'k' }));
    expect(headers.get('accept-language')).toBe('en-US,en');
  });

  it('sends no Authorization header to a keyless openai-compatible endpoint', async () => {
    const client = createProviderClient({ providerType: 'openai-compatible', baseUrl: 'http://localhost:11434/v1' });
    expect((await requestHeaders(client)).has('authorization')).toBe(false);
  });

  it('sends the key to an openai-compatible endpoint that has one', async () => {
    const client = createProviderClient({ providerType: 'openai-compatible', baseUrl: 'http://vllm/v1', apiKey: 'tok' });
    expect((await requestHeaders(client)).get('authorization')).toBe('Bearer tok');
  });

  it('ignores OPENAI_* variables of the environment', async () => {
    process.env.OPENAI_API_KEY = 'sk-from-env';
    process.env.OPENAI_BASE_URL = 'http://env.example/v1';
    process.env.OPENAI_ORG_ID = 'org-env';
    process.env.OPENAI_PROJECT_ID = 'proj-env';
    const client = createProviderClient({ providerType: 'anthropic', apiKey: 'sk-ant' });
    expect(client.baseURL).toBe('https://api.anthropic.com/v1');
    const headers = await requestHeaders(client);
    expect(headers.get('authorization')).toBe('Bearer sk-ant');
    expect(headers.has('openai-organization')).toBe(false);
    expect(headers.has('openai-project')).toBe(false);
    const keyless = createProviderClient({ providerType: 'openai-compatible', baseUrl: 'http://local/v1' });
    expect((await requestHeaders(keyless)).has('authorization')).toBe(false);
  });

  it('refuses a hosted provider without a key, and a blank key', () => {
    expect(() => createProviderClient({ providerType: 'openai' })).toThrow('OpenAI instances need an API key');
    expect(() => createProviderClient({ providerType: 'perplexity', apiKey: '  ' })).toThrow(ProviderConfigError);
  });

  it('refuses openai-compatible without a base URL', () => {
    expect(() => createProviderClient({ providerType: 'openai-compatible', apiKey: 'k' })).toThrow('need a base URL');
  });
});
