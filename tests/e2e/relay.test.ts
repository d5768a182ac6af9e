import OpenAI from 'openai';
import { Queue } from 'bullmq';
import { APP_PORTS, GATEWAY_URL, REDIS_URL, testSecrets, openEventStream, api, createApiKey, signUp, addSimInstance, SimInstance, waitForModel, startApp, waitFor, waitReady, ensureSuiteWorker } from '@ish/test-support';

type ErrorBody = { error: { type: string; code: string; message: string; param?: string; details?: { field: string }[] } };
type RelayReply = { id: string; conversationId: string; reply: string; model: string; provider: string; instanceId: string; usage: { promptTokens: number; completionTokens: number; totalTokens: number }; latencyMs: number; cached: boolean };
type JobView = { id: string; type: string; status: string; result?: RelayReply; error?: { code: string }; attempts: number };

const RUN = Date.now().toString(36);
const MODEL = `chat-${RUN}`;
let main: SimInstance;
let user: Awaited<ReturnType<typeof signUp>>;
let key: string;

/** A raw streamed chat completion through the gateway, the body left unread. */
const streamChat = (model: string, content: string, signal?: AbortSignal) =>
  fetch(`${GATEWAY_URL}/api/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }], stream: true }),
    signal,
  });

/** The stream's reader, once its first chunk has come. */
async function firstChunkRead(response: Promise<Response>): Promise<ReadableStreamDefaultReader<Uint8Array>> {
  const reader = (await response).body!.getReader();
  await reader.read();
  return reader;
}

/** Runs `test` against an instance of its own that streams a chunk every `chunkDelayMs`; the instance is removed afterwards. */
async function withSlowStream(name: string, chunkDelayMs: number, test: (model: string, instance: SimInstance) => Promise<void>): Promise<void> {
  const model = `${name}-${RUN}`;
  const instance = await addSimInstance(model, { models: [model], streamChunkDelayMs: chunkDelayMs });
  try {
    await waitForModel(model);
    await test(model, instance);
  } finally {
    await instance.close();
  }
}

beforeAll(async () => {
  main = await addSimInstance(`relay-main-${RUN}`, { models: [MODEL] });
  await waitForModel(MODEL);
  user = await signUp('relay');
  key = await createApiKey(user.accessToken, 'relay tests');
});

afterAll(async () => {
  await main?.close();
});

/** Polls with the user's session token: its own rate-limit budget, apart from the API key's. */
async function waitForJob(id: string, token = user.accessToken, timeoutMs = 30_000): Promise<JobView> {
  return waitFor(`job ${id} to finish`, async () => {
    const job = await api<JobView>('GET', `/api/v1/jobs/${id}`, { token });
    return job.body.status === 'completed' || job.body.status === 'failed' ? job.body : undefined;
  }, timeoutMs, 200);
}

describe('the official openai SDK through the gateway', () => {
  const client = () => new OpenAI({ baseURL: `${GATEWAY_URL}/api/v1`, apiKey: key, maxRetries: 0 });

  it('lists models and creates a completion', async () => {
    const models = await client().models.list();
    expect(models.data.map((m) => m.id)).toContain(MODEL);
    const completion = await client().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hello there' }] });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0].message.content).toContain('hello there');
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('logs every upstream call in request_logs, which admin usage reads (batched, off the response path)', async () => {
    // a user of its own: no earlier call of this file can still be on its way to the log
    const caller = await signUp('relay-usage');
    const callerKey = await createApiKey(caller.accessToken, 'usage');
    const sdk = new OpenAI({ baseURL: `${GATEWAY_URL}/api/v1`, apiKey: callerKey, maxRetries: 0 });
    const completions = [
      await sdk.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'count these tokens' }] }),
      await sdk.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'and these four too' }] }),
    ];
    type Usage = { users: { userId: string; requests: number; promptTokens: number; completionTokens: number }[] };
    const logged = await waitFor('both calls in the request log', async () => {
      const usage = await api<Usage>('GET', '/api/v1/admin/usage', { token: testSecrets().adminApiKey });
      const mine = usage.body.users.find((u) => u.userId === caller.userId);
      return mine && mine.requests >= 2 ? mine : undefined;
    }, 5000, 100);
    const sum = (pick: (c: (typeof completions)[number]) => number | undefined) => completions.reduce((total, c) => total + (pick(c) ?? 0), 0);
    expect(logged).toMatchObject({ requests: 2, promptTokens: sum((c) => c.usage?.prompt_tokens), completionTokens: sum((c) => c.usage?.completion_tokens) });
  });

  it('streams, with usage in the final chunk when asked', async () => {
    const stream = await client().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'stream me please' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(2);
    expect(text).toContain('stream me please');
    expect(usage?.completion_tokens).toBeGreaterThan(0);

    const plain = await client().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'no usage' }], stream: true });
    for await (const chunk of plain) expect(chunk.usage ?? null).toBeNull();
  });

  it('ends a raw stream with data: [DONE]', async () => {
    const response = await streamChat(MODEL, 'hi');
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const body = await response.text();
    expect(body.trim().endsWith('data: [DONE]')).toBe(true);
  });

  it('answers an unknown model with 404 model_not_found in the OpenAI shape', async () => {
    const error = await client().chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).param).toBe('model');
  });
});

describe('POST /api/v1/relay', () => {
  it('answers sync and keeps the conversation', async () => {
    const first = await api<RelayReply>('POST', '/api/v1/relay', { token: key, body: { message: 'first message', model: MODEL } });
    expect(first.status).toBe(200);
    expect(first.body).toEqual(expect.objectContaining({ conversationId: expect.any(String), model: MODEL, provider: 'openai-compatible', instanceId: main.id, cached: false }));
    expect(first.body.reply).toContain('first message');
    expect(first.body.usage.totalTokens).toBe(first.body.usage.promptTokens + first.body.usage.completionTokens);

    const second = await api<RelayReply>('POST', '/api/v1/relay', { token: key, body: { message: 'second message', model: MODEL, conversationId: first.body.conversationId } });
    expect(second.body.conversationId).toBe(first.body.conversationId);
    // the history went upstream too: more prompt tokens than the message alone
    expect(second.body.usage.promptTokens).toBeGreaterThan(first.body.usage.promptTokens);

    const conversation = await api<{ messages: { role: string; content: string }[] }>('GET', `/api/v1/conversations/${first.body.conversationId}`, { token: key });
    expect(conversation.body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    const list = await api<{ id: string }[]>('GET', '/api/v1/conversations', { token: key });
    expect(list.body.map((c) => c.id)).toContain(first.body.conversationId);

    const stranger = await signUp('stranger');
    const foreign = await api<ErrorBody>('POST', '/api/v1/relay', { token: stranger.accessToken, body: { message: 'hi', model: MODEL, conversationId: first.body.conversationId } });
    expect(foreign.status).toBe(404);
    expect((await api('GET', `/api/v1/conversations/${first.body.conversationId}`, { token: stranger.accessToken })).status).toBe(404);

    expect((await api('DELETE', `/api/v1/conversations/${first.body.conversationId}`, { token: key })).status).toBe(204);
    expect((await api('GET', `/api/v1/conversations/${first.body.conversationId}`, { token: key })).status).toBe(404);
  });

  it('serves a deterministic repeat from the cache', async () => {
    const body = { message: `cache me ${RUN}`, model: MODEL, temperature: 0 };
    const before = main.sim.stats().chatCompletions;
    const first = await api<RelayReply>('POST', '/api/v1/relay', { token: key, body });
    const second = await api<RelayReply>('POST', '/api/v1/relay', { token: key, body });
    expect(first.body.cached).toBe(false);
    expect(second.body.cached).toBe(true);
    expect(second.body.reply).toBe(first.body.reply);
    expect(main.sim.stats().chatCompletions - before).toBe(1);
  });

  it('refuses bad input clearly', async () => {
    const empty = await api<ErrorBody>('POST', '/api/v1/relay', { token: key, body: { message: '', model: MODEL } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details?.[0].field).toBe('message');
    const long = await api<ErrorBody>('POST', '/api/v1/relay', { token: key, body: { message: 'x'.repeat(2_000_001), model: MODEL } });
    expect(long.status).toBe(413);
    const temperature = await api<ErrorBody>('POST', '/api/v1/relay', { token: key, body: { message: 'x', model: MODEL, temperature: 7 } });
    expect(temperature.status).toBe(400);
    expect(temperature.body.error.details?.[0].field).toBe('temperature');
    const unknown = await api<ErrorBody>('POST', '/api/v1/relay', { token: key, body: { message: 'x', model: 'nope-model' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('model_not_found');
  });

  it('Idempotency-Key: the same key twice makes one upstream call and one answer', async () => {
    const headers = { 'idempotency-key': `idem-${RUN}` };
    const body = { message: 'only once please', model: MODEL };
    const before = main.sim.stats().chatCompletions;
    const first = await api<RelayReply>('POST', '/api/v1/relay', { token: key, body, headers });
    const second = await api<RelayReply>('POST', '/api/v1/relay', { token: key, body, headers });
    expect(second.body).toEqual(first.body);
    expect(main.sim.stats().chatCompletions - before).toBe(1);
    const other = await api<ErrorBody>('POST', '/api/v1/relay', { token: key, body: { ...body, message: 'different' }, headers });
    expect(other.status).toBe(422);

    const asyncHeaders = { 'idempotency-key': `idem-async-${RUN}` };
    const a = await api<{ jobId: string }>('POST', '/api/v1/relay', { token: key, body: { ...body, mode: 'async' }, headers: asyncHeaders });
    const b = await api<{ jobId: string }>('POST', '/api/v1/relay', { token: key, body: { ...body, mode: 'async' }, headers: asyncHeaders });
    expect(b.body.jobId).toBe(a.body.jobId);
    await waitForJob(a.body.jobId);
    expect(main.sim.stats().chatCompletions - before).toBe(2);
  });
});

describe('async jobs', () => {
  it('202 with Location; the job completes on a worker; the owner sees job.completed on /api/v1/events', async () => {
    const events = await openEventStream(key);

    const submitted = await api<{ jobId: string; status: string; conversationId: string }>('POST', '/api/v1/relay', { token: key, body: { message: 'later please', model: MODEL, mode: 'async' } });
    expect(submitted.status).toBe(202);
    expect(submitted.body.status).toBe('queued');
    expect(submitted.headers.get('location')).toBe(`/api/v1/jobs/${submitted.body.jobId}`);
    const job = await waitForJob(submitted.body.jobId);
    expect(job).toEqual(expect.objectContaining({ id: submitted.body.jobId, type: 'ai', status: 'completed', attempts: 1 }));
    expect(job.result?.reply).toContain('later please');

    await waitFor('the job.completed event on the stream', async () => events.text().includes(submitted.body.jobId), 5000, 50);
    const [event] = events.eventsAbout<{ type: string; data: { jobId: string; status: string; result: RelayReply } }>(submitted.body.jobId);
    expect(event.type).toBe('job.completed');
    expect(event.data).toEqual(expect.objectContaining({ jobId: submitted.body.jobId, status: 'completed' }));
    await events.close();

    const stranger = await signUp('jobs-stranger');
    expect((await api('GET', `/api/v1/jobs/${submitted.body.jobId}`, { token: stranger.accessToken })).status).toBe(404);
  });

  it('kill -9 the worker running a job: another worker completes it', async () => {
    const slowModel = `slow-${RUN}`;
    // slower than a heartbeat, faster than the instance-manager's probe timeout (2 s in tests)
    const slow = await addSimInstance(`relay-slow-${RUN}`, { models: [slowModel], latencyMs: 1500 });
    await waitForModel(slowModel);
    const spare = startApp('worker', { port: APP_PORTS.worker + 10 });
    await waitReady(spare);
    const queue = new Queue('ai', { connection: { url: REDIS_URL } as never });
    try {
      const submitted = await api<{ jobId: string }>('POST', '/api/v1/relay', { token: key, body: { message: 'survive a crash', model: slowModel, mode: 'async' } });
      const runner = await waitFor('a worker to take the job', async () => (await queue.getJob(submitted.body.jobId))?.processedBy, 10_000, 50);
      const pid = Number(/-(\d+)-[0-9a-f]+$/.exec(runner)![1]);
      // chatCompletions counts calls as they arrive (inFlight would also count health probes)
      await waitFor('the upstream call to start', async () => slow.sim.stats().chatCompletions > 0, 5000, 20);
      process.kill(pid, 'SIGKILL');

      const job = await waitForJob(submitted.body.jobId, user.accessToken, 40_000);
      expect(job.status).toBe('completed');
      expect(job.result?.reply).toContain('survive a crash');
      expect((await queue.getJob(submitted.body.jobId))?.processedBy).not.toBe(runner);
      expect(slow.sim.stats().chatCompletions).toBe(2);
    } finally {
      await queue.close();
      await ensureSuiteWorker();
      spare.child.kill('SIGTERM');
      await spare.exited;
      await slow.close();
    }
  });
});

describe('failover (API.md)', () => {
  it('5xx moves to the next instance; an upstream 4xx comes back as is; a 429 moves on', async () => {
    const model = `fo-${RUN}`;
    const failing = await addSimInstance(`fo-bad-${RUN}`, { models: [model] }, { priority: 0 });
    const healthy = await addSimInstance(`fo-good-${RUN}`, { models: [model] }, { priority: 1 });
    try {
      await api('PUT', '/api/v1/routing', { token: testSecrets().adminApiKey, body: { strategy: 'priority-failover' } });
      await waitForModel(model);
      failing.sim.setFault({ mode: 'error500' });
      for (let i = 0; i < 5; i++) {
        const reply = await api<RelayReply>('POST', '/api/v1/relay', { token: key, body: { message: `fo ${i}`, model } });
        expect(reply.status).toBe(200);
        expect(reply.body.instanceId).toBe(healthy.id);
      }
      expect(failing.sim.stats().chatCompletions).toBeGreaterThan(0);

      failing.sim.setFault({ mode: 'rate_limit', retryAfterSeconds: 30 });
      const limited = await api<RelayReply>('POST', '/api/v1/relay', { token: key, body: { message: 'fo 429', model } });
      expect(limited.status).toBe(200);

      failing.sim.clearFault();
      // a 4xx from upstream: the instance claims a model its server does not have
      const ghost = `ghost-${RUN}`;
      const liar = await addSimInstance(`fo-liar-${RUN}`, { models: ['real-model'] }, {});
      await api('PATCH', `/api/v1/instances/${liar.id}`, { token: testSecrets().adminApiKey, body: { models: [ghost] } });
      await waitForModel(ghost);
      const upstream404 = await api<ErrorBody>('POST', '/api/v1/relay', { token: key, body: { message: 'x', model: ghost } });
      expect(upstream404.status).toBe(404);
      expect(upstream404.body.error.message).toContain(ghost);
      expect(liar.sim.stats().chatCompletions).toBe(1);
      await liar.close();
    } finally {
      await api('PUT', '/api/v1/routing', { token: testSecrets().adminApiKey, body: { strategy: 'least-latency' } });
      await failing.close();
      await healthy.close();
    }
  });

  it('a stream counts as in flight on its instance until its last chunk, not only until the first', async () => {
    await withSlowStream('inflight', 250, async (model, slowStream) => {
      const inFlight = async () => (await api<{ inFlight: number }>('GET', `/api/v1/instances/${slowStream.id}`, { token: testSecrets().adminApiKey })).body.inFlight;
      const reader = await firstChunkRead(streamChat(model, 'one two three four five six seven eight nine ten eleven twelve'));
      // past the first chunk, the instance still serves this stream: routing and scaling must see it
      await waitFor('the open stream to be counted in flight', async () => (await inFlight()) === 1, 2500, 100);
      let text = '';
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += new TextDecoder().decode(chunk.value);
      expect(text).toContain('data: [DONE]');
      await waitFor('the finished stream to leave the in-flight count', async () => (await inFlight()) === 0, 5000, 100);
    });
  });

  it('a client that disconnects mid-stream cancels the upstream request', async () => {
    await withSlowStream('cancel', 300, async (model, slowStream) => {
      const controller = new AbortController();
      await firstChunkRead(streamChat(model, 'one two three four five six seven eight nine ten', controller.signal));
      expect(slowStream.sim.stats().inFlight).toBeGreaterThanOrEqual(1);
      controller.abort();
      await waitFor('the upstream request to be cancelled', async () => slowStream.sim.stats().inFlight === 0, 2000, 50).catch((e: Error) => {
        throw new Error(`${e.message}: ${JSON.stringify(slowStream.sim.stats())}`);
      });
    });
  });
});
