import type { RequestLogDetail, UsageSeriesReport } from '@ish/contracts';
import OpenAI from 'openai';
import {
  addSimInstance,
  api,
  AppProcess,
  GATEWAY_URL,
  serviceUrl,
  SimInstance,
  signUp,
  startApp,
  stopApp,
  testSecrets,
  waitFor,
  waitForModel,
  waitReady,
} from '@ish/test-support';

type ErrorBody = { error: { type: string; code: string; message: string; param?: string; details?: { field: string; message: string }[] } };
// the answers' shapes as the contract declares them; the assertions check the figures
type UsageReport = UsageSeriesReport;
type LogEntry = RequestLogDetail;

const RUN = Date.now().toString(36);
const MODEL = `ul-priced-${RUN}`;
const FAILING = `ul-failing-${RUN}`;
// half a dollar per prompt token, one per completion token: every cost a sum of halves, added up exactly
const PRICES = (model: string) => ({ [model]: { inputPerMTok: 500_000, outputPerMTok: 1_000_000 } });
const costOf = (entry: { promptTokens: number; completionTokens: number }) => entry.promptTokens / 2 + entry.completionTokens;
const BODIES_RELAY_PORT = 18022;
const admin = testSecrets().adminApiKey;

let priced: SimInstance;
let failing: SimInstance;
let owner: Awaited<ReturnType<typeof signUp>>;
let ownerKey: { id: string; key: string };
let other: Awaited<ReturnType<typeof signUp>>;
let otherKey: { id: string; key: string };
/** what the owner's calls cost and consumed, as their answers said */
const spent = { promptTokens: 0, completionTokens: 0, costUsd: 0 };
const requestIds: string[] = [];

async function newKey(token: string): Promise<{ id: string; key: string }> {
  const created = await api<{ id: string; key: string }>('POST', '/api/v1/auth/api-keys', { token, body: { name: 'usage', scopes: ['chat'] } });
  expect(created.status).toBe(201);
  return created.body;
}

async function chat(key: string, model: string, base = GATEWAY_URL, content = 'count my tokens') {
  const response = await api<{ usage: { prompt_tokens: number; completion_tokens: number } } & ErrorBody>('POST', '/api/v1/chat/completions', {
    token: key,
    base,
    body: { model, messages: [{ role: 'user', content }] },
  });
  return response;
}

const usage = (token: string, query: string) => api<UsageReport & ErrorBody>('GET', `/api/v1/usage?${query}`, { token });
const logs = (token: string, query = '') => api<LogEntry[] & ErrorBody>('GET', `/api/v1/logs${query ? `?${query}` : ''}`, { token });

beforeAll(async () => {
  priced = await addSimInstance(`ul-priced-${RUN}`, { models: [MODEL] }, { prices: PRICES(MODEL) });
  failing = await addSimInstance(`ul-failing-${RUN}`, { models: [FAILING] }, { prices: PRICES(FAILING) });
  await waitForModel(MODEL);
  await waitForModel(FAILING);
  owner = await signUp('usage-owner');
  ownerKey = await newKey(owner.accessToken);
  other = await signUp('usage-other');
  otherKey = await newKey(other.accessToken);

  // the owner: three completions, one stream, one call the instance fails
  for (let i = 0; i < 3; i++) {
    const answered = await chat(ownerKey.key, MODEL);
    expect(answered.status).toBe(200);
    spent.promptTokens += answered.body.usage.prompt_tokens;
    spent.completionTokens += answered.body.usage.completion_tokens;
    spent.costUsd += Number(answered.headers.get('x-ish-cost-usd'));
    requestIds.push(answered.headers.get('x-request-id')!);
  }
  const client = new OpenAI({ baseURL: `${GATEWAY_URL}/api/v1`, apiKey: ownerKey.key });
  const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'stream it' }], stream: true, stream_options: { include_usage: true } });
  for await (const chunk of stream) {
    if (!chunk.usage) continue;
    spent.promptTokens += chunk.usage.prompt_tokens;
    spent.completionTokens += chunk.usage.completion_tokens;
    spent.costUsd += (chunk.usage as { cost_usd?: number }).cost_usd ?? NaN;
  }
  failing.sim.setFault({ mode: 'error500', count: 1, callsOnly: true });
  expect((await chat(ownerKey.key, FAILING)).status).toBeGreaterThanOrEqual(500);

  // someone else, whose call the owner must never see
  expect((await chat(otherKey.key, MODEL)).status).toBe(200);
  // the request log is written in batches (every 500 ms)
  await waitFor('the calls in the request log', async () => (await logs(ownerKey.key)).body.length === 5 && (await logs(otherKey.key)).body.length === 1, 10_000, 200);
}, 60_000);

afterAll(async () => {
  await priced?.close();
  await failing?.close();
});

describe('GET /api/v1/usage', () => {
  const lastHours = () => `from=${new Date(Date.now() - 2 * 3_600_000).toISOString()}&interval=hour`;

  it('counts the caller’s calls, errors, tokens and cost by model', async () => {
    const report = await usage(ownerKey.key, `${lastHours()}&groupBy=model`);
    expect(report.status).toBe(200);
    expect(report.body.interval).toBe('hour');
    expect(report.body.totals).toEqual({ requests: 5, errors: 1, ...spent });
    expect(spent.costUsd).toBe(costOf(spent));
    const byKey = Object.fromEntries(report.body.series.map((s) => [s.key, s.points.reduce((n, p) => n + p.requests, 0)]));
    expect(byKey).toEqual({ [MODEL]: 4, [FAILING]: 1 });
    // busiest first; each point a whole hour
    expect(report.body.series[0].key).toBe(MODEL);
    for (const point of report.body.series[0].points) expect(new Date(point.t).getTime() % 3_600_000).toBe(0);
  });

  it('groups by API key, instance and user', async () => {
    const byApiKey = await usage(ownerKey.key, 'groupBy=apiKey');
    expect(byApiKey.body.series.map((s) => s.key)).toEqual([ownerKey.id]);
    expect(byApiKey.body.interval).toBe('day');

    const byInstance = await usage(ownerKey.key, 'groupBy=instance');
    const requests = Object.fromEntries(byInstance.body.series.map((s) => [s.key, s.points.reduce((n, p) => n + p.requests, 0)]));
    expect(requests).toEqual({ [priced.id]: 4, [failing.id]: 1 });

    const byUser = await usage(ownerKey.key, 'groupBy=user');
    expect(byUser.body.series.map((s) => s.key)).toEqual([owner.userId]);
  });

  it('shows a plain user only their own usage, and refuses them another user’s (403)', async () => {
    const own = await usage(otherKey.key, 'groupBy=model');
    expect(own.body.totals.requests).toBe(1);
    const refused = await usage(otherKey.key, `userId=${owner.userId}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ type: 'permission_error', param: 'userId' });
  });

  it('lets an admin read anyone’s: all of it, or one user’s', async () => {
    const ownersOnly = await usage(admin, `userId=${owner.userId}&groupBy=model`);
    expect(ownersOnly.status).toBe(200);
    expect(ownersOnly.body.totals).toEqual({ requests: 5, errors: 1, ...spent });
    const everyone = await usage(admin, 'groupBy=user');
    const users = everyone.body.series.map((s) => s.key);
    expect(users).toEqual(expect.arrayContaining([owner.userId, other.userId]));
  });

  it('answers 400 naming the field: from after to, unknown groupBy or interval, too many points', async () => {
    const backwards = await usage(ownerKey.key, 'from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details?.[0].field).toBe('from');

    const groupBy = await usage(ownerKey.key, 'groupBy=colour');
    expect(groupBy.status).toBe(400);
    expect(groupBy.body.error.param).toBe('groupBy');

    const interval = await usage(ownerKey.key, 'interval=week');
    expect(interval.status).toBe(400);
    expect(interval.body.error.param).toBe('interval');

    // a year of hours is far over USAGE_MAX_POINTS (1000); the same year in days is not
    const tooMany = await usage(ownerKey.key, 'from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&interval=hour');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ type: 'invalid_request_error', code: 'too_many_points', param: 'from' });
    expect((await usage(ownerKey.key, 'from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&interval=day')).status).toBe(200);
  });
});

describe('GET /api/v1/logs', () => {
  it('lists the caller’s calls newest first with what each cost and how it went', async () => {
    const page = await logs(ownerKey.key);
    expect(page.status).toBe(200);
    const entries = page.body;
    expect(entries.map((e) => Number(e.id))).toEqual(entries.map((e) => Number(e.id)).sort((a, b) => b - a));
    // each relay writes its calls in batches, so calls served by the two relays within one batch may interleave
    expect(entries.map((e) => e.model).sort()).toEqual([FAILING, MODEL, MODEL, MODEL, MODEL].sort());
    const failed = entries.find((e) => e.model === FAILING)!;
    const first = entries.find((e) => e.requestId === requestIds[0])!;
    expect(failed).toMatchObject({ outcome: 'upstream_error', status: 500, instanceId: failing.id, apiKeyId: ownerKey.id, costUsd: 0, route: '/api/v1/chat/completions' });
    expect(failed.error).toEqual(expect.any(String));
    expect(first).toMatchObject({ outcome: 'success', status: 200, instanceId: priced.id, provider: 'openai-compatible', route: '/api/v1/chat/completions', requestId: requestIds[0] });
    expect(first.costUsd).toBe(costOf(first));
    expect(first.latencyMs).toEqual(expect.any(Number));
    expect('error' in first).toBe(false);
    expect(entries.reduce((n, e) => n + e.costUsd, 0)).toBe(spent.costUsd);
  });

  it('pages with before: no entry twice, none skipped, an empty page at the end', async () => {
    const all = (await logs(ownerKey.key)).body.map((e) => e.id);
    const seen: string[] = [];
    let before = '';
    for (let pages = 0; pages < 5; pages++) {
      const page = (await logs(ownerKey.key, `limit=2${before ? `&before=${before}` : ''}`)).body;
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(2);
      seen.push(...page.map((e) => e.id));
      before = page[page.length - 1].id;
    }
    expect(seen).toEqual(all);
  });

  it('filters by model, status and API key', async () => {
    expect((await logs(ownerKey.key, `model=${FAILING}`)).body.map((e) => e.model)).toEqual([FAILING]);
    expect((await logs(ownerKey.key, 'status=error')).body).toHaveLength(1);
    expect((await logs(ownerKey.key, 'status=200')).body).toHaveLength(4);
    expect((await logs(admin, `apiKeyId=${ownerKey.id}`)).body).toHaveLength(5);
  });

  it('shows a plain user only their own calls; an admin sees everyone’s', async () => {
    const others = (await logs(otherKey.key)).body;
    expect(others.map((e) => e.apiKeyId)).toEqual([otherKey.id]);
    const ownersEntry = (await logs(ownerKey.key)).body[0];
    expect((await api('GET', `/api/v1/logs/${ownersEntry.id}`, { token: otherKey.key })).status).toBe(404);
    const everyone = (await logs(admin, 'limit=200')).body.map((e) => e.apiKeyId);
    expect(everyone).toEqual(expect.arrayContaining([ownerKey.id, otherKey.id]));
  });

  it('answers 400 for a malformed cursor and a limit over 200', async () => {
    const cursor = await logs(ownerKey.key, 'before=not-a-cursor');
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.param).toBe('before');
    const limit = await logs(ownerKey.key, 'limit=201');
    expect(limit.status).toBe(400);
    expect(limit.body.error.param).toBe('limit');
    expect((await logs(ownerKey.key, 'limit=200')).status).toBe(200);
  });
});

describe('prompt and reply bodies', () => {
  let bodiesRelay: AppProcess;

  beforeAll(async () => {
    bodiesRelay = startApp('relay', { port: BODIES_RELAY_PORT, env: { REQUEST_LOG_BODIES: 'true' } });
    await waitReady(bodiesRelay);
    await waitFor('the model on the relay that keeps bodies', async () => {
      const models = await api<{ data: { id: string }[] }>('GET', '/api/v1/models', { token: admin, base: bodiesRelay.url });
      return models.body.data.some((m) => m.id === MODEL);
    }, 15_000, 100);
  }, 90_000);

  afterAll(async () => {
    if (bodiesRelay) await stopApp(bodiesRelay);
  });

  const detail = (token: string, id: string) => api<LogEntry>('GET', `/api/v1/logs/${id}`, { token });

  it('keeps nothing by default: an admin sees the call but no bodies', async () => {
    const [entry] = (await logs(ownerKey.key, `model=${MODEL}&limit=1`)).body;
    const seen = await detail(admin, entry.id);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ id: entry.id, model: MODEL });
    expect(seen.body).not.toHaveProperty('request');
    expect(seen.body).not.toHaveProperty('response');
  });

  it('with REQUEST_LOG_BODIES=true, shows the prompt and reply to admins only, without credentials', async () => {
    const secret = `ish_${'s'.repeat(40)}`;
    const answered = await chat(ownerKey.key, MODEL, serviceUrl('relay', BODIES_RELAY_PORT), `remember ${secret} for me`);
    expect(answered.status).toBe(200);
    const entry = await waitFor('the call in the log', async () => (await logs(ownerKey.key, `model=${MODEL}&limit=1`)).body.find((e) => e.requestId === answered.headers.get('x-request-id')), 10_000, 200);

    const seen = (await detail(admin, entry.id)).body;
    expect(seen.request).toMatchObject({ model: MODEL, messages: [{ role: 'user', content: 'remember [redacted] for me' }] });
    expect(JSON.stringify(seen)).not.toContain(secret);
    expect(JSON.stringify(seen)).not.toContain(ownerKey.key);
    expect(seen.response).toMatchObject({ object: 'chat.completion', usage: { prompt_tokens: entry.promptTokens } });

    const asOwner = await detail(ownerKey.key, entry.id);
    expect(asOwner.status).toBe(200);
    expect(asOwner.body).not.toHaveProperty('request');
    expect(asOwner.body).not.toHaveProperty('response');
  });
});
