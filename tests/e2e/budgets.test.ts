import Redis from 'ioredis';
import { SERVICE_NAMES } from '@ish/contracts';
import { addSimInstance, api, ensureSuiteWorker, GATEWAY_URL, isReady, JsonResponse, openEventStream, REDIS_URL, serviceUrl, signUp, SimInstance, stack, stopSuiteWorkers, testSecrets, waitFor, waitForModel, WebhookReceiver } from '@ish/test-support';

type ErrorBody = { error: { type: string; code: string; message: string; param?: string; details?: { field: string; message: string }[] } };
type Budget = { limitUsd: number; period: 'day' | 'week' | 'month' | 'total' };
type Spend = { periodUsd: number | null; totalUsd: number; resetsAt: string | null };
type KeyView = { id: string; key: string; budget: Budget | null; spend: Spend };
type JobView = { id: string; status: string; attempts: number; error?: { code: string } };

const RUN = Date.now().toString(36);
// every token costs $0.10 at these prices: one short chat is worth a dollar or two
const MODEL = `bud-${RUN}`;
const PRICES = { inputPerMTok: 100_000, outputPerMTok: 100_000 };
const admin = testSecrets().adminApiKey;
let sim: SimInstance;
let redis: Redis;
/** what one `chat()` costs (measured with a key without a budget) */
let callCost: number;

beforeAll(async () => {
  sim = await addSimInstance(`bud-${RUN}`, { models: [MODEL] }, { prices: { [MODEL]: PRICES } });
  redis = new Redis(REDIS_URL);
  await waitForModel(MODEL);
  const probe = await signUp('budget-probe');
  const measured = await chat(probe.accessToken);
  expect(measured.status).toBe(200);
  callCost = Number(measured.headers.get('x-ish-cost-usd'));
  expect(callCost).toBeGreaterThan(0.1);
});

afterAll(async () => {
  await sim?.close();
  // a test that stopped the suite's worker leaves one running for the next files
  await ensureSuiteWorker();
  redis?.disconnect();
});

const chat = (token: string, model = MODEL) => api<ErrorBody>('POST', '/api/v1/chat/completions', { token, body: { model, messages: [{ role: 'user', content: 'hi' }] } });
const messages = (token: string) =>
  api<{ type: string; error: { type: string; message: string } }>('POST', '/api/v1/messages', {
    body: { model: MODEL, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] },
    headers: { 'x-api-key': token, 'anthropic-version': '2023-06-01' },
  });
const relay = (token: string, mode: 'sync' | 'async') => api<ErrorBody & { jobId?: string }>('POST', '/api/v1/relay', { token, body: { message: 'hi', model: MODEL, mode } });
const budgetOf = (multiple: number, period: Budget['period'] = 'day'): Budget => ({ limitUsd: Number((callCost * multiple).toFixed(6)), period });

async function newKey(token: string, budget?: Budget | null): Promise<KeyView> {
  const created = await api<KeyView>('POST', '/api/v1/auth/api-keys', { token, body: { name: 'budget', scopes: ['chat'], ...(budget !== undefined ? { budget } : {}) } });
  expect(created.status).toBe(201);
  return created.body;
}

async function listedKey(token: string, id: string): Promise<KeyView> {
  const keys = await api<KeyView[]>('GET', '/api/v1/auth/api-keys', { token });
  return keys.body.find((key) => key.id === id)!;
}

/** Chats until refused (at most `max` calls); answers the successes and the refusal. */
async function spendUntilRefused(token: string, max = 10): Promise<{ successes: number; refusal: JsonResponse<ErrorBody> }> {
  for (let successes = 0; successes < max; successes++) {
    const answer = await chat(token);
    if (answer.status !== 200) return { successes, refusal: answer };
  }
  throw new Error(`still answered after ${max} calls`);
}

function expectBudgetExceeded(response: JsonResponse<ErrorBody>, period: Budget['period'] = 'day'): void {
  expect(response.status).toBe(429);
  expect(response.body.error).toMatchObject({ type: 'rate_limit_error', code: 'budget_exceeded' });
  expect(response.headers.get('x-should-retry')).toBe('false');
  if (period === 'total') {
    expect(response.headers.get('retry-after')).toBeNull();
    return;
  }
  const untilMidnight = (Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1) - Date.now()) / 1000;
  expect(Math.abs(Number(response.headers.get('retry-after')) - untilMidnight)).toBeLessThan(10);
}

describe('a budget on an API key', () => {
  it('answers until the budget is spent, then 429 budget_exceeded on every AI route, and again once PATCH raises it', async () => {
    const user = await signUp('budget-key');
    // 2.5 calls' worth: the third call still starts under the limit, the fourth does not
    const key = await newKey(user.accessToken, budgetOf(2.5));
    expect(key.budget).toEqual(budgetOf(2.5));

    const { successes, refusal } = await spendUntilRefused(key.key);
    expect(successes).toBe(3);
    expectBudgetExceeded(refusal);

    const anthropic = await messages(key.key);
    expect(anthropic.status).toBe(429);
    expect(anthropic.body).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(anthropic.headers.get('x-should-retry')).toBe('false');
    expectBudgetExceeded(await api<ErrorBody>('POST', '/api/v1/embeddings', { token: key.key, body: { model: MODEL, input: 'hello' } }));
    expectBudgetExceeded(await relay(key.key, 'sync'));
    // an async job is refused at submission
    expectBudgetExceeded(await relay(key.key, 'async'));

    const listed = await listedKey(user.accessToken, key.id);
    expect(listed.budget).toEqual(budgetOf(2.5));
    expect(listed.spend.periodUsd).toBeCloseTo(3 * callCost, 5);
    // no total counter: auth sums the request log, which holds a call once its relay flushed it (within 0.5 s)
    await waitFor('the total spend', async () => Math.abs((await listedKey(user.accessToken, key.id)).spend.totalUsd - 3 * callCost) < 1e-5, 3_000, 100);
    expect(listed.spend.resetsAt).toBe(new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1)).toISOString());
    const me = await api<{ budget: Budget; spend: Spend }>('GET', '/api/v1/auth/me', { token: key.key });
    expect(me.body.budget).toEqual(budgetOf(2.5));
    expect(me.body.spend.periodUsd).toBeCloseTo(3 * callCost, 5);

    const raised = await api<KeyView>('PATCH', `/api/v1/auth/api-keys/${key.id}`, { token: user.accessToken, body: { budget: budgetOf(100) } });
    expect(raised.status).toBe(200);
    expect(raised.body.budget).toEqual(budgetOf(100));
    // the change is broadcast: both relays take it at once
    for (let i = 0; i < 4; i++) expect((await chat(key.key)).status).toBe(200);

    const cleared = await api<KeyView>('PATCH', `/api/v1/auth/api-keys/${key.id}`, { token: user.accessToken, body: { budget: null } });
    expect(cleared.body.budget).toBeNull();
    expect((await listedKey(user.accessToken, key.id)).spend).toMatchObject({ periodUsd: null, resetsAt: null });
  });

  it('a stream counts when it ends, with the cost its usage chunk shows', async () => {
    const user = await signUp('budget-stream');
    const key = await newKey(user.accessToken, budgetOf(100));
    const response = await fetch(`${GATEWAY_URL}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } }),
    });
    const text = await response.text();
    expect(text).toContain('data: [DONE]');
    const chunks = text.split('\n').filter((line) => line.startsWith('data: {')).map((line) => JSON.parse(line.slice(6)) as { usage?: { cost_usd: number } });
    const cost = chunks.find((chunk) => chunk.usage)!.usage!.cost_usd;
    expect(cost).toBeGreaterThan(0);
    await waitFor('the stream charged', async () => Math.abs((await listedKey(user.accessToken, key.id)).spend.periodUsd! - cost) < 1e-6, 3_000, 50);
  });

  it('a total budget is refused without Retry-After', async () => {
    const user = await signUp('budget-total');
    const key = await newKey(user.accessToken, budgetOf(0.5, 'total'));
    const { successes, refusal } = await spendUntilRefused(key.key);
    expect(successes).toBe(1);
    expectBudgetExceeded(refusal, 'total');
  });

  it('refuses bad budgets naming the field, a key budget above its user\'s, and a user setting their own', async () => {
    const user = await signUp('budget-bad');
    for (const [budget, field] of [
      [{ limitUsd: 0, period: 'day' }, 'budget.limitUsd'],
      [{ limitUsd: -1, period: 'day' }, 'budget.limitUsd'],
      [{ limitUsd: 1, period: 'year' }, 'budget.period'],
      [{ period: 'day' }, 'budget.limitUsd'],
      ['ten dollars', 'budget'],
    ] as const) {
      const refused = await api<ErrorBody>('POST', '/api/v1/auth/api-keys', { token: user.accessToken, body: { name: 'bad', scopes: ['chat'], budget } });
      expect(refused.status).toBe(400);
      expect(refused.body.error.details?.map((d) => d.field)).toContain(field);
    }

    const capped = await api('PATCH', `/api/v1/admin/users/${user.userId}`, { token: admin, body: { budget: { limitUsd: 5, period: 'month' } } });
    expect(capped.status).toBe(200);
    const above = await api<ErrorBody>('POST', '/api/v1/auth/api-keys', { token: user.accessToken, body: { name: 'above', scopes: ['chat'], budget: { limitUsd: 6, period: 'day' } } });
    expect(above.status).toBe(400);
    expect(above.body.error).toMatchObject({ code: 'budget_above_user_limit', param: 'budget.limitUsd' });
    const within = await newKey(user.accessToken, { limitUsd: 5, period: 'day' });
    const raised = await api<ErrorBody>('PATCH', `/api/v1/auth/api-keys/${within.id}`, { token: user.accessToken, body: { budget: { limitUsd: 7, period: 'week' } } });
    expect(raised.status).toBe(400);
    expect(raised.body.error.code).toBe('budget_above_user_limit');

    const own = await api<ErrorBody>('PATCH', `/api/v1/admin/users/${user.userId}`, { token: user.accessToken, body: { budget: { limitUsd: 1000, period: 'month' } } });
    expect(own.status).toBe(403);
  });
});

describe('a budget on a user', () => {
  it('caps every key of the user and their sessions; GET /admin/users shows it with the spend', async () => {
    const user = await signUp('budget-user');
    const first = await newKey(user.accessToken);
    const second = await newKey(user.accessToken);
    const set = await api<{ budget: Budget }>('PATCH', `/api/v1/admin/users/${user.userId}`, { token: admin, body: { budget: budgetOf(1.5, 'month') } });
    expect(set.body.budget).toEqual(budgetOf(1.5, 'month'));

    expect((await chat(first.key)).status).toBe(200);
    expect((await chat(second.key)).status).toBe(200);
    const refused = await chat(first.key);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'budget_exceeded' });
    expect(refused.body.error.message).toContain("user's budget");
    expect((await chat(second.key)).status).toBe(429);
    expect((await chat(user.accessToken)).status).toBe(429);

    const users = await api<{ id: string; budget: Budget; spend: Spend }[]>('GET', '/api/v1/admin/users', { token: admin });
    const listed = users.body.find((u) => u.id === user.userId)!;
    expect(listed.budget).toEqual(budgetOf(1.5, 'month'));
    expect(listed.spend.periodUsd).toBeCloseTo(2 * callCost, 5);
    expect(new Date(listed.spend.resetsAt!).getUTCDate()).toBe(1);
    const me = await api<{ budget: Budget; spend: Spend }>('GET', '/api/v1/auth/me', { token: user.accessToken });
    expect(me.body.budget).toEqual(budgetOf(1.5, 'month'));

    await api('PATCH', `/api/v1/admin/users/${user.userId}`, { token: admin, body: { budget: null } });
    expect((await chat(first.key)).status).toBe(200);
  });
});

describe('one budget across relays and the worker', () => {
  it('async jobs are charged by the worker, and a job queued before the budget was spent is refused when it runs', async () => {
    const user = await signUp('budget-worker');
    const key = await newKey(user.accessToken, budgetOf(2.5));

    const job = await relay(key.key, 'async');
    expect(job.status).toBe(202);
    const done = await waitFor('the job done', async () => {
      const view = await api<JobView>('GET', `/api/v1/jobs/${job.body.jobId}`, { token: key.key });
      return view.body.status === 'completed' || view.body.status === 'failed' ? view.body : undefined;
    });
    expect(done.status).toBe('completed');
    const afterJob = (await listedKey(user.accessToken, key.id)).spend.periodUsd!;
    expect(afterJob).toBeGreaterThan(0);
    // room for two more chats (whatever the job cost), in the job data of the next one too
    const room = { limitUsd: Number((afterJob + 1.5 * callCost).toFixed(6)), period: 'day' as const };
    expect((await api('PATCH', `/api/v1/auth/api-keys/${key.id}`, { token: user.accessToken, body: { budget: room } })).status).toBe(200);

    // no worker runs while the job waits and both relays spend the rest of the budget
    await stopSuiteWorkers();
    const queued = await relay(key.key, 'async');
    expect(queued.status).toBe(202);
    const { successes, refusal } = await spendUntilRefused(key.key);
    expect(successes).toBe(2);
    expectBudgetExceeded(refusal);
    await ensureSuiteWorker();
    const failed = await waitFor('the queued job refused by the worker', async () => {
      const view = await api<JobView>('GET', `/api/v1/jobs/${queued.body.jobId}`, { token: key.key });
      return view.body.status === 'failed' ? view.body : undefined;
    }, 30_000);
    expect(failed.error?.code).toBe('budget_exceeded');
    // x-should-retry: false — the worker does not try it again
    expect(failed.attempts).toBe(1);
    expect((await listedKey(user.accessToken, key.id)).spend.periodUsd).toBeCloseTo(afterJob + 2 * callCost, 5);
  });

  it('spend lost from Redis is rebuilt from the request log', async () => {
    const user = await signUp('budget-flush');
    const key = await newKey(user.accessToken, budgetOf(3.5));
    for (let i = 0; i < 2; i++) expect((await chat(key.key)).status).toBe(200);
    expect((await listedKey(user.accessToken, key.id)).spend.periodUsd).toBeCloseTo(2 * callCost, 5);

    // every relay has written its buffered request log rows (each flushes every 500 ms; later on a busy machine), then the counters go
    await waitFor('both calls in the request log', async () => {
      const logged = await api<unknown[]>('GET', `/api/v1/logs?apiKeyId=${key.id}`, { token: user.accessToken });
      return logged.status === 200 && logged.body.length >= 2;
    }, 10_000, 100);
    const counters = await redis.keys(`ish:spend:*:${key.id}:*`);
    expect(counters.length).toBeGreaterThan(0);
    await redis.del(...counters, ...(await redis.keys(`ish:spend:user:${user.userId}:*`)));

    expect((await listedKey(user.accessToken, key.id)).spend.periodUsd).toBeCloseTo(2 * callCost, 5);
    const { successes, refusal } = await spendUntilRefused(key.key);
    expect(successes).toBe(2);
    expectBudgetExceeded(refusal);
  });
});

describe('budget webhooks', () => {
  it('budget.warning and budget.exceeded reach the owner\'s subscription once per period, signed (standardwebhooks)', async () => {
    const receiver = await WebhookReceiver.start();
    const user = await signUp('budget-hooks');
    const subscribed = await api<{ secret: string }>('POST', '/api/v1/webhooks', { token: user.accessToken, body: { url: receiver.url, events: ['budget.warning', 'budget.exceeded'] } });
    expect(subscribed.status).toBe(201);
    // the warning (80 %) comes with the first call, the limit is crossed by the second
    const key = await newKey(user.accessToken, budgetOf(1.2));
    const events = await openEventStream(user.accessToken);

    expect((await chat(key.key)).status).toBe(200);
    const [warning] = await receiver.waitFor(1, 'budget.warning');
    expect((await chat(key.key)).status).toBe(200);
    expect((await chat(key.key)).status).toBe(429);
    expect((await chat(key.key)).status).toBe(429);
    const [exceeded] = await receiver.waitFor(1, 'budget.exceeded');

    type Envelope = { type: string; data: Record<string, unknown> };
    expect(WebhookReceiver.verify<Envelope>(subscribed.body.secret, warning)).toMatchObject({ type: 'budget.warning', data: { scope: 'api_key', apiKeyId: key.id, period: 'day' } });
    const body = WebhookReceiver.verify<Envelope>(subscribed.body.secret, exceeded);
    expect(body).toMatchObject({ type: 'budget.exceeded', data: { scope: 'api_key', apiKeyId: key.id, limitUsd: budgetOf(1.2).limitUsd, period: 'day' } });
    expect(body.data.spentUsd as number).toBeCloseTo(2 * callCost, 5);
    expect(body.data).not.toHaveProperty('userId');
    // once per period: the later refusals sent no second one
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.requests.filter((r) => r.body.includes('budget.exceeded'))).toHaveLength(1);
    // the owner's /events stream carries the same events
    const streamed = await waitFor('budget.exceeded on /events', async () => {
      const found = events.eventsAbout<{ type: string; data: Record<string, unknown> }>('budget.exceeded');
      return found.length > 0 ? found : undefined;
    }, 3_000, 50);
    expect(streamed[0]).toMatchObject({ type: 'budget.exceeded', data: { apiKeyId: key.id, scope: 'api_key' } });
    await events.close();
    await receiver.close();
  });
});

describe('budgets while Redis goes away', () => {
  it('fail closed (503) while Redis is down, and the spend is still there after it restarts', async () => {
    const user = await signUp('budget-redis');
    const key = await newKey(user.accessToken, budgetOf(3.5));
    for (let i = 0; i < 2; i++) expect((await chat(key.key)).status).toBe(200);

    stack('stop', 'redis');
    try {
      // both relays refuse rather than let an unchecked call through
      for (let i = 0; i < 2; i++) {
        const refused = await chat(key.key);
        expect(refused.status).toBe(503);
        expect(refused.body.error.code).toBe('budget_unavailable');
      }
    } finally {
      stack('start', 'redis');
    }
    for (const service of SERVICE_NAMES) await waitFor(`${service} ready again`, () => isReady(serviceUrl(service)), 60_000, 500);

    const { successes, refusal } = await spendUntilRefused(key.key);
    expect(successes).toBe(2);
    expectBudgetExceeded(refusal);
  });
});
