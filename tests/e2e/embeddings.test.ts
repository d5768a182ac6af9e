import OpenAI from 'openai';
import { GATEWAY_URL, testSecrets, api, createApiKey, newUserKey, signUp, addSimInstance, SimInstance, waitForModel, waitFor } from '@ish/test-support';
import { embeddingVector, float32Base64 } from '@ish/provider-sim';

type ErrorBody = { error: { type: string; code: string; message: string; param?: string; details?: { field: string; message: string }[] } };
type EmbeddingsBody = { object: string; data: { object: string; index: number; embedding: number[] | string }[]; model: string; usage: { prompt_tokens: number; total_tokens: number } };

const RUN = Date.now().toString(36);
// an OpenAI instance (the simulator behind it) whose model prices like text-embedding-3-small ($0.02 per 1M tokens)
const MODEL = `text-embedding-3-small-${RUN}`;
const SIM_KEY = 'sim-embeddings-key';
let main: SimInstance;
let key: string;

const client = (apiKey = key) => new OpenAI({ baseURL: `${GATEWAY_URL}/api/v1`, apiKey, maxRetries: 0 });
const norm = (vector: number[]) => Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));

beforeAll(async () => {
  main = await addSimInstance(`emb-main-${RUN}`, { models: [MODEL], apiKey: SIM_KEY }, { providerType: 'openai', apiKey: SIM_KEY });
  await waitForModel(MODEL);
  key = await newUserKey('embeddings');
});

afterAll(async () => {
  await main?.close();
});

describe('POST /api/v1/embeddings with the official openai SDK through the gateway', () => {
  it('lists the embedding model and answers floats, with the x-ish-* headers and the cost', async () => {
    const models = await client().models.list();
    expect(models.data.map((m) => m.id)).toContain(MODEL);
    const { data, response } = await client().embeddings.create({ model: MODEL, input: 'hello embeddings', encoding_format: 'float' }).withResponse();
    expect(data).toEqual({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: embeddingVector(MODEL, 'hello embeddings', 1536) }],
      model: MODEL,
      usage: { prompt_tokens: 2, total_tokens: 2 },
    });
    expect(response.headers.get('x-ish-instance')).toBe(main.id);
    expect(response.headers.get('x-ish-provider')).toBe('openai');
    expect(response.headers.get('x-ish-model')).toBe(MODEL);
    // 2 tokens at $0.02 per million
    expect(response.headers.get('x-ish-cost-usd')).toBe('0.00000004');
    // what reached the provider: the request as given, with the instance's key
    const sent = main.sim.requests().at(-1)!;
    expect(sent.url).toBe('/v1/embeddings');
    expect(JSON.parse(sent.body)).toEqual({ model: MODEL, input: 'hello embeddings', encoding_format: 'float' });
  });

  it("decodes the SDK's default (base64 on the wire) to the same floats", async () => {
    const answer = await client().embeddings.create({ model: MODEL, input: 'hello embeddings' });
    expect(JSON.parse(main.sim.requests().at(-1)!.body)).toMatchObject({ encoding_format: 'base64' });
    expect(answer.data[0].embedding).toEqual(embeddingVector(MODEL, 'hello embeddings', 1536));
  });

  it('honours dimensions', async () => {
    const answer = await client().embeddings.create({ model: MODEL, input: 'short vector', dimensions: 256, encoding_format: 'float' });
    expect(answer.data[0].embedding).toHaveLength(256);
    expect(norm(answer.data[0].embedding)).toBeCloseTo(1, 5);
  });

  it('answers encoding_format base64 as a base64 string, in the SDK and on the wire', async () => {
    const answer = await client().embeddings.create({ model: MODEL, input: 'as base64', encoding_format: 'base64', dimensions: 8 });
    const expected = float32Base64(embeddingVector(MODEL, 'as base64', 8));
    expect(answer.data[0].embedding).toBe(expected);
    const raw = await api<EmbeddingsBody>('POST', '/api/v1/embeddings', { token: key, body: { model: MODEL, input: 'as base64', encoding_format: 'base64', dimensions: 8 } });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toMatch(/application\/json/);
    expect(raw.body.data[0].embedding).toBe(expected);
  });

  it('embeds string[] and token-array inputs, one embedding per input, in order', async () => {
    const texts = ['first text', 'second one here', 'third'];
    const answer = await client().embeddings.create({ model: MODEL, input: texts, encoding_format: 'float', dimensions: 16 });
    expect(answer.data.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(answer.data.map((d) => d.embedding)).toEqual(texts.map((text) => embeddingVector(MODEL, text, 16)));
    expect(answer.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 });
    const tokens = await client().embeddings.create({ model: MODEL, input: [[1, 2, 3], [4]], dimensions: 4 });
    expect(tokens.data.map((d) => d.embedding)).toEqual([embeddingVector(MODEL, [1, 2, 3], 4), embeddingVector(MODEL, [4], 4)]);
    expect(tokens.usage.prompt_tokens).toBe(4);
  });

  it('logs the call with its tokens and cost in the request log', async () => {
    // a user of its own: no other call can be on its way to the log for it
    const caller = await signUp('embeddings-usage');
    const callerKey = await createApiKey(caller.accessToken, 'usage');
    // 10 000 tokens at $0.02 per million: $0.0002, visible in the log's six decimals
    const input = [Array.from({ length: 6000 }, (_, i) => i), Array.from({ length: 4000 }, (_, i) => i)];
    const answer = await client(callerKey).embeddings.create({ model: MODEL, input, dimensions: 2 });
    expect(answer.usage.prompt_tokens).toBe(10_000);
    type Usage = { users: { userId: string; requests: number; promptTokens: number; completionTokens: number; costUsd: number }[] };
    const logged = await waitFor('the call in the request log', async () => {
      const usage = await api<Usage>('GET', '/api/v1/admin/usage', { token: testSecrets().adminApiKey });
      return usage.body.users.find((u) => u.userId === caller.userId);
    }, 5000, 100);
    expect(logged).toMatchObject({ requests: 1, promptTokens: 10_000, completionTokens: 0 });
    expect(logged.costUsd).toBeCloseTo(0.0002, 8);
  });

  it('needs the chat scope', async () => {
    const user = await signUp('embeddings-scope');
    const hooksOnly = await createApiKey(user.accessToken, 'hooks', ['webhooks']);
    const refused = await api<ErrorBody>('POST', '/api/v1/embeddings', { token: hooksOnly, body: { model: MODEL, input: 'x' } });
    expect(refused.status).toBe(403);
  });
});

describe('bad input to POST /api/v1/embeddings', () => {
  const post = (body: unknown) => api<ErrorBody>('POST', '/api/v1/embeddings', { token: key, body });

  it.each([
    ['dimensions 0', { dimensions: 0 }, 'dimensions'],
    ['dimensions -3', { dimensions: -3 }, 'dimensions'],
    ['dimensions 1.5', { dimensions: 1.5 }, 'dimensions'],
    ['an empty string', { input: '' }, 'input'],
    ['an empty array', { input: [] }, 'input'],
    ['an empty string in the array', { input: ['a', ''] }, 'input'],
    ['2049 inputs', { input: Array.from({ length: 2049 }, () => 'a') }, 'input'],
    ['a token that is not an integer', { input: [1, 2.5] }, 'input'],
    ['token arrays with a non-integer', { input: [[1], [2, 'x']] }, 'input'],
    ['encoding_format base32', { encoding_format: 'base32' }, 'encoding_format'],
  ])('refuses %s with 400 naming the parameter, and nothing reaches the provider', async (_what, change, param) => {
    main.sim.clearRequests();
    const refused = await post({ model: MODEL, input: 'fine', ...change });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ type: 'invalid_request_error', code: 'validation_failed', param });
    expect(refused.body.error.details?.[0].field).toBe(param);
    expect(main.sim.requests()).toHaveLength(0);
  });

  it('answers a model no instance serves with 404 model_not_found, as completions do', async () => {
    const error = await client().embeddings.create({ model: `no-such-embedder-${RUN}`, input: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ code: 'model_not_found', param: 'model' });
  });
});

describe('a provider that cannot encode base64', () => {
  it('gets encoding_format as given, and its floats reach the client as base64', async () => {
    const model = `emb-floats-${RUN}`;
    const floatsOnly = await addSimInstance(`emb-floats-${RUN}`, { models: [model], embeddingsBase64: false });
    try {
      await waitForModel(model);
      const expected = embeddingVector(model, 'convert me', 8);
      const raw = await api<EmbeddingsBody>('POST', '/api/v1/embeddings', { token: key, body: { model, input: 'convert me', encoding_format: 'base64', dimensions: 8 } });
      expect(JSON.parse(floatsOnly.sim.requests().at(-1)!.body)).toMatchObject({ encoding_format: 'base64' });
      expect(raw.body.data[0].embedding).toBe(float32Base64(expected));
      // the SDK's default request (base64 on the wire) decodes to the provider's floats
      expect((await client().embeddings.create({ model, input: 'convert me', dimensions: 8 })).data[0].embedding).toEqual(expected);
    } finally {
      await floatsOnly.close();
    }
  });
});

describe('embeddings failover (API.md)', () => {
  it('moves to the next instance when the first answers 503', async () => {
    const model = `emb-fo-${RUN}`;
    const failing = await addSimInstance(`emb-fo-bad-${RUN}`, { models: [model] }, { priority: 0 });
    const healthy = await addSimInstance(`emb-fo-good-${RUN}`, { models: [model] }, { priority: 1 });
    try {
      await api('PUT', '/api/v1/routing', { token: testSecrets().adminApiKey, body: { strategy: 'priority-failover' } });
      await waitForModel(model);
      failing.sim.setFault({ mode: 'error503' });
      const { data, response } = await client().embeddings.create({ model, input: 'fail over please', encoding_format: 'float', dimensions: 8 }).withResponse();
      expect(response.headers.get('x-ish-instance')).toBe(healthy.id);
      expect(data.data[0].embedding).toEqual(embeddingVector(model, 'fail over please', 8));
      // the first instance was tried and answered 503
      expect(failing.sim.requests().map((r) => r.url)).toContain('/v1/embeddings');
      expect(failing.sim.stats().errors).toBeGreaterThan(0);
    } finally {
      await api('PUT', '/api/v1/routing', { token: testSecrets().adminApiKey, body: { strategy: 'least-latency' } });
      await failing.close();
      await healthy.close();
    }
  });
});
