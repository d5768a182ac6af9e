// API.md "Governance" tokensPerMinute: prompt + completion tokens per key per minute, counted in Redis
// on the provider's usage (provider-sim's figures) by every relay and worker.
import { api, JsonResponse, signUp, addSimInstance, SimInstance, waitForModel, waitFor, ensureSuiteWorker } from '@ish/test-support';

type ErrorBody = { error: { type: string; code: string; message: string; param?: string; details?: { field: string; message: string }[] } };
type AnthropicErrorBody = { type: string; error: { type: string; code?: string; message: string } };
type KeyBody = { id: string; key: string; prefix: string; tokensPerMinute: number | null };
type Completion = { usage: { prompt_tokens: number; completion_tokens: number } } & ErrorBody;
type Message = { usage: { input_tokens: number; output_tokens: number } } & AnthropicErrorBody;
type JobView = { id: string; status: string; result?: { usage: { promptTokens: number; completionTokens: number } } };

const RUN = Date.now().toString(36);
const MODEL = `tpm-${RUN}`;
const EMBED = `tpm-embed-${RUN}`;
let sim: SimInstance;
let user: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  sim = await addSimInstance(`tpm-${RUN}`, { models: [MODEL, EMBED] });
  await waitForModel(MODEL);
  user = await signUp('tokens-per-minute');
});

afterAll(async () => {
  await sim?.close();
});

async function newKey(body: Record<string, unknown>, token = user.accessToken): Promise<JsonResponse<KeyBody & ErrorBody>> {
  return api<KeyBody & ErrorBody>('POST', '/api/v1/auth/api-keys', { token, body: { name: 'tpm', scopes: ['chat'], ...body } });
}

let calls = 0;
// every prompt differs: a cached answer is no upstream call and counts no tokens
const chat = (key: string) => api<Completion>('POST', '/api/v1/chat/completions', { token: key, body: { model: MODEL, messages: [{ role: 'user', content: `count these words please ${++calls}` }] } });
const messages = (key: string) =>
  api<Message>('POST', '/api/v1/messages', {
    body: { model: MODEL, max_tokens: 16, messages: [{ role: 'user', content: `count these words please ${++calls}` }] },
    headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' },
  });
const embed = (key: string) => api<ErrorBody & { usage: { prompt_tokens: number } }>('POST', '/api/v1/embeddings', { token: key, body: { model: EMBED, input: `one two three ${++calls}` } });
const relay = (key: string, mode: 'sync' | 'async' = 'sync') =>
  api<ErrorBody & { jobId: string; usage: { promptTokens: number; completionTokens: number } }>('POST', '/api/v1/relay', { token: key, body: { message: `count these words please ${++calls}`, model: MODEL, mode } });

function expectTokenLimit(response: JsonResponse<ErrorBody>): void {
  expect(response.status).toBe(429);
  expect(response.body.error).toMatchObject({ type: 'rate_limit_error', code: 'tokens_per_minute' });
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

/**
 * Calls until refused: each call that ran was admitted while the minute's real usage was under the
 * limit, and the refusal came once it was at or over it. Answers the usage counted and the refusal.
 */
async function callUntilRefused<T>(call: () => Promise<JsonResponse<T>>, tokensOf: (body: T) => number, limit: number): Promise<{ used: number; served: number; refusal: JsonResponse<T> }> {
  let used = 0;
  for (let served = 0; served < 50; served++) {
    const response = await call();
    if (response.status === 429) {
      expect(used).toBeGreaterThanOrEqual(limit);
      return { used, served, refusal: response };
    }
    expect(response.status).toBe(200);
    expect(used).toBeLessThan(limit);
    used += tokensOf(response.body);
  }
  throw new Error(`never refused after ${used} tokens`);
}

const completionTokens = (body: Completion) => body.usage.prompt_tokens + body.usage.completion_tokens;
const messageTokens = (body: Message) => body.usage.input_tokens + body.usage.output_tokens;

describe('tokensPerMinute on an API key', () => {
  it('serves a key with a small limit until the minute\'s real usage reaches it, then 429 tokens_per_minute with Retry-After (chat completions)', async () => {
    const created = await newKey({ tokensPerMinute: 60 });
    expect(created.status).toBe(201);
    expect(created.body.tokensPerMinute).toBe(60);
    const { served, refusal } = await callUntilRefused(() => chat(created.body.key), completionTokens, 60);
    expect(served).toBeGreaterThanOrEqual(2);
    expectTokenLimit(refusal as JsonResponse<ErrorBody>);
    expect(refusal.headers.get('x-ratelimit-limit-tokens')).toBe('60');
    // the refusal counted nothing: still refused, every route of the key
    expectTokenLimit(await chat(created.body.key));
    expectTokenLimit(await embed(created.body.key));
    expectTokenLimit(await relay(created.body.key));
  });

  it("refuses on /messages in Anthropic's error shape once the minute's usage reaches the limit", async () => {
    const created = await newKey({ tokensPerMinute: 60 });
    const { refusal } = await callUntilRefused(() => messages(created.body.key), messageTokens, 60);
    expect(refusal.status).toBe(429);
    expect(refusal.body).toMatchObject({ type: 'error', error: { type: 'rate_limit_error', code: 'tokens_per_minute' } });
    expect(Number(refusal.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('counts embeddings and sync /relay calls too', async () => {
    const embeddings = await newKey({ tokensPerMinute: 12 });
    const embedded = await callUntilRefused(() => embed(embeddings.body.key), (body) => body.usage.prompt_tokens, 12);
    expectTokenLimit(embedded.refusal);
    const relayed = await newKey({ tokensPerMinute: 60 });
    const sync = await callUntilRefused(() => relay(relayed.body.key), (body) => body.usage.promptTokens + body.usage.completionTokens, 60);
    expectTokenLimit(sync.refusal);
  });

  it('leaves a key without a limit (absent, null or 0) unaffected', async () => {
    const limited = await newKey({ tokensPerMinute: 60 });
    const { served } = await callUntilRefused(() => chat(limited.body.key), completionTokens, 60);
    for (const tokensPerMinute of [undefined, null, 0]) {
      const open = await newKey(tokensPerMinute === undefined ? {} : { tokensPerMinute });
      expect(open.body.tokensPerMinute).toBe(tokensPerMinute ?? null);
      for (let i = 0; i <= served + 2; i++) expect((await chat(open.body.key)).status).toBe(200);
    }
  });

  it('a PATCH raising the limit takes effect at once, on every relay', async () => {
    const created = await newKey({ tokensPerMinute: 40 });
    await callUntilRefused(() => chat(created.body.key), completionTokens, 40);
    const patched = await api<KeyBody>('PATCH', `/api/v1/auth/api-keys/${created.body.id}`, { token: user.accessToken, body: { tokensPerMinute: 100_000 } });
    expect(patched.status).toBe(200);
    expect(patched.body.tokensPerMinute).toBe(100_000);
    // four in a row: nginx spreads them over both relays, each must have dropped its cached key
    await waitFor('the raised limit on every relay', async () => {
      for (let i = 0; i < 4; i++) if ((await chat(created.body.key)).status !== 200) return false;
      return true;
    }, 3_000, 50);
    // and lowering it below what was used refuses again
    await api('PATCH', `/api/v1/auth/api-keys/${created.body.id}`, { token: user.accessToken, body: { tokensPerMinute: 10 } });
    await waitFor('the lowered limit on every relay', async () => {
      for (let i = 0; i < 4; i++) if ((await chat(created.body.key)).status !== 429) return false;
      return true;
    }, 3_000, 50);
  });

  it('counts async jobs when the worker runs them; a job over the limit waits instead of failing', async () => {
    await ensureSuiteWorker();
    const created = await newKey({ tokensPerMinute: 50 });
    const key = created.body.key;
    const finished = (id: string) =>
      waitFor(`job ${id}`, async () => {
        const job = await api<JobView>('GET', `/api/v1/jobs/${id}`, { token: user.accessToken });
        return job.body.status === 'completed' || job.body.status === 'failed' ? job.body : undefined;
      }, 30_000, 100);
    // jobs only, one after the other, until their reported usage reaches the limit
    let used = 0;
    while (used < 50) {
      const submitted = await relay(key, 'async');
      expect(submitted.status).toBe(202);
      const job = await finished(submitted.body.jobId);
      expect(job.status).toBe('completed');
      used += job.result!.usage.promptTokens + job.result!.usage.completionTokens;
    }
    // the jobs' tokens alone brought the key to its limit
    expectTokenLimit(await chat(key));
    // a job submitted now is taken by the worker and put back until the minute ends, not failed
    const late = await relay(key, 'async');
    expect(late.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const job = await api<JobView>('GET', `/api/v1/jobs/${late.body.jobId}`, { token: user.accessToken });
    expect(job.body.status).toBe('queued');
  });

  it('answers the limit in GET /api-keys and in /auth/me for the calling key', async () => {
    const created = await newKey({ tokensPerMinute: 1234 });
    const listed = await api<KeyBody[]>('GET', '/api/v1/auth/api-keys', { token: user.accessToken });
    expect(listed.body.find((k) => k.id === created.body.id)?.tokensPerMinute).toBe(1234);
    const me = await api<{ tokensPerMinute: number | null }>('GET', '/api/v1/auth/me', { token: created.body.key });
    expect(me.body.tokensPerMinute).toBe(1234);
    expect((await api<{ tokensPerMinute: number | null }>('GET', '/api/v1/auth/me', { token: user.accessToken })).body.tokensPerMinute).toBeNull();
  });

  it('refuses a limit that is not a whole number ≥ 0 with 400 naming the field, on create and on PATCH', async () => {
    for (const tokensPerMinute of [-1, 1.5, '100', true, 2_000_000_000]) {
      const refused = await newKey({ tokensPerMinute });
      expect(refused.status).toBe(400);
      expect(refused.body.error.type).toBe('invalid_request_error');
      expect(JSON.stringify(refused.body.error)).toContain('tokensPerMinute');
    }
    const created = await newKey({});
    const patched = await api<ErrorBody>('PATCH', `/api/v1/auth/api-keys/${created.body.id}`, { token: user.accessToken, body: { tokensPerMinute: -5 } });
    expect(patched.status).toBe(400);
    expect(JSON.stringify(patched.body.error)).toContain('tokensPerMinute');
  });

  it("a key made with a key gets at most the making key's limit", async () => {
    const maker = await newKey({ tokensPerMinute: 500 });
    const inherited = await newKey({}, maker.body.key);
    expect(inherited.status).toBe(201);
    expect(inherited.body.tokensPerMinute).toBe(500);
    expect((await newKey({ tokensPerMinute: 200 }, maker.body.key)).body.tokensPerMinute).toBe(200);
    for (const tokensPerMinute of [501, 0]) {
      const refused = await newKey({ tokensPerMinute }, maker.body.key);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'tokens_per_minute_above_maker', param: 'tokensPerMinute' });
    }
    // nor may it lift its own limit
    const own = await api<ErrorBody>('PATCH', `/api/v1/auth/api-keys/${maker.body.id}`, { token: maker.body.key, body: { tokensPerMinute: 0 } });
    expect(own.status).toBe(400);
    expect(own.body.error.param).toBe('tokensPerMinute');
  });
});
