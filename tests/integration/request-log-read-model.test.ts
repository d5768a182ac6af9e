// The read model over request_logs against the test stack's PostgreSQL: usage totals per user, key
// and model over a half-open range, and the one definition of an instance's traffic over a window.
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RequestLogReadModel } from '@ish/usage';
import { DATABASE_URL, deleteRequestLogs, insertRequestLogs } from '@ish/test-support';

let db: DataSource;
let readModel: RequestLogReadModel;
const logIds: string[] = [];

beforeAll(async () => {
  db = await new DataSource({ type: 'postgres', url: DATABASE_URL }).initialize();
  readModel = new RequestLogReadModel(db);
});

afterAll(async () => {
  await deleteRequestLogs(db, logIds);
  await db?.destroy();
});

describe('usage totals', () => {
  // a month long ago that no other test writes to
  const range = { from: new Date('2001-01-01T00:00:00Z'), to: new Date('2001-02-01T00:00:00Z') };
  const tag = randomBytes(4).toString('hex');
  let alice: string;
  let bob: string;
  let key: string;

  beforeAll(async () => {
    const users = (await db.query(`INSERT INTO users (email, password_hash) VALUES ($1, 'x'), ($2, 'x') RETURNING id, email`, [`alice-${tag}@example.com`, `bob-${tag}@example.com`])) as { id: string; email: string }[];
    [alice, bob] = [users.find((u) => u.email.startsWith('alice'))!.id, users.find((u) => u.email.startsWith('bob'))!.id];
    [{ id: key }] = (await db.query(`INSERT INTO api_keys (user_id, name, prefix, key_hash, scopes) VALUES ($1, 'ci', 'ish_abcd', $2, '["chat"]') RETURNING id`, [alice, randomBytes(32).toString('hex')])) as { id: string }[];
    const at = (day: number) => new Date(Date.UTC(2001, 0, day));
    logIds.push(
      ...(await insertRequestLogs(db, [
        { at: at(2), userId: alice, apiKeyId: key, model: 'gpt-4o', providerType: 'openai', promptTokens: 10, completionTokens: 5, costUsd: 0.001 },
        { at: at(3), userId: alice, apiKeyId: key, model: 'gpt-4o', providerType: 'openai', promptTokens: 20, completionTokens: 10, costUsd: 0.002, outcome: 'upstream_error' },
        { at: at(4), userId: alice, model: 'local-llama', providerType: 'ollama', promptTokens: 1, completionTokens: 1, unpriced: true },
        { at: at(5), userId: bob, model: 'local-llama', providerType: 'ollama', promptTokens: 7, completionTokens: 3, unpriced: true },
        { at: at(6), model: 'local-llama', providerType: 'ollama', promptTokens: 2, completionTokens: 2 },
        // the range is half-open: a call at `to` belongs to the next one, a call at `from` to this one
        { at: range.to, userId: alice, apiKeyId: key, model: 'gpt-4o', providerType: 'openai', promptTokens: 1000 },
        { at: range.from, userId: bob, model: 'gpt-4o-mini', providerType: 'openai', promptTokens: 4, completionTokens: 4, costUsd: 0.0001 },
      ])),
    );
  });

  afterAll(async () => {
    await db.query('DELETE FROM users WHERE id = ANY($1)', [[alice, bob]]);
  });

  it('adds up requests, tokens, cost and unpriced calls per user, busiest first, with the email', async () => {
    expect(await readModel.totalsBy('user', range)).toEqual([
      { userId: alice, email: `alice-${tag}@example.com`, requests: 3, promptTokens: 31, completionTokens: 16, totalTokens: 47, costUsd: 0.003, unpricedRequests: 1 },
      { userId: bob, email: `bob-${tag}@example.com`, requests: 2, promptTokens: 11, completionTokens: 7, totalTokens: 18, costUsd: 0.0001, unpricedRequests: 1 },
    ]);
  });

  it('adds them up per API key, with its name, prefix and owner; calls without a key are in no group', async () => {
    expect(await readModel.totalsBy('apiKey', range)).toEqual([
      { apiKeyId: key, name: 'ci', prefix: 'ish_abcd', userId: alice, requests: 2, promptTokens: 30, completionTokens: 15, totalTokens: 45, costUsd: 0.003, unpricedRequests: 0 },
    ]);
  });

  it('adds them up per model and provider, calls without a user included, and marks a model that went unpriced', async () => {
    expect(await readModel.totalsBy('model', range)).toEqual([
      { model: 'local-llama', provider: 'ollama', unpriced: true, requests: 3, promptTokens: 10, completionTokens: 6, totalTokens: 16, costUsd: 0, unpricedRequests: 2 },
      { model: 'gpt-4o', provider: 'openai', unpriced: false, requests: 2, promptTokens: 30, completionTokens: 15, totalTokens: 45, costUsd: 0.003, unpricedRequests: 0 },
      { model: 'gpt-4o-mini', provider: 'openai', unpriced: false, requests: 1, promptTokens: 4, completionTokens: 4, totalTokens: 8, costUsd: 0.0001, unpricedRequests: 0 },
    ]);
  });

  it('answers no groups for a range without calls', async () => {
    expect(await readModel.totalsBy('user', { from: new Date('2000-01-01T00:00:00Z'), to: new Date('2000-01-02T00:00:00Z') })).toEqual([]);
  });
});

describe('instance traffic over a window', () => {
  const busy = randomUUID();
  const misused = randomUUID();
  const idle = randomUUID();

  beforeAll(async () => {
    logIds.push(
      ...(await insertRequestLogs(db, [
        ...[100, 200, 300, 400].map((latencyMs) => ({ instanceId: busy, latencyMs, ageSeconds: 5 })),
        // the instance's fault: counted as errors, and their latencies left out of the percentiles
        { instanceId: busy, outcome: 'upstream_error', latencyMs: 3, ageSeconds: 5 },
        { instanceId: busy, outcome: 'timeout', latencyMs: 30_000, ageSeconds: 5 },
        { instanceId: busy, outcome: 'rate_limited', latencyMs: 2, ageSeconds: 5 },
        { instanceId: busy, outcome: 'stream_error', latencyMs: 9, ageSeconds: 5 },
        // not the instance's fault: requests, but no errors
        { instanceId: busy, outcome: 'client_error', latencyMs: 1, ageSeconds: 5 },
        { instanceId: busy, outcome: 'client_closed', latencyMs: 50, ageSeconds: 5 },
        // outside the window
        { instanceId: busy, outcome: 'upstream_error', latencyMs: 5, ageSeconds: 120 },
        { instanceId: misused, outcome: 'client_error', latencyMs: 4, ageSeconds: 5 },
        { instanceId: misused, outcome: 'client_error', latencyMs: 6, ageSeconds: 5 },
      ])),
    );
  });

  it('counts every call, blames the instance only for its own failures, and takes latency percentiles of successful calls', async () => {
    const traffic = await readModel.instanceTraffic([busy, misused, idle], 60);
    // percentile_cont over 100..400: p50 = 250, p95 = 300 + 0.85 × 100
    expect(traffic.get(busy)).toEqual({ requests: 10, errors: 4, p50LatencyMs: 250, p95LatencyMs: 385 });
    expect(traffic.get(misused)).toEqual({ requests: 2, errors: 0, p50LatencyMs: 0, p95LatencyMs: 0 });
    expect(traffic.has(idle)).toBe(false);
  });

  it('looks only as far back as the window', async () => {
    expect((await readModel.instanceTraffic([busy], 600)).get(busy)).toMatchObject({ requests: 11, errors: 5 });
    expect((await readModel.instanceTraffic([busy], 1)).has(busy)).toBe(false);
  });

  it('answers an empty map for an empty list of instances', async () => {
    expect(await readModel.instanceTraffic([], 60)).toEqual(new Map());
  });
});

describe('log entries', () => {
  it('pages newest first by numeric id, also where the ids gain a digit (…98, 99, 100, 101 — text order would mix them)', async () => {
    const model = `digits-${randomBytes(4).toString('hex')}`;
    // move the sequence just below the next power of ten (only ever forward: ids stay unique)
    const [{ last }] = (await db.query(`SELECT last_value::text AS last FROM request_logs_id_seq`)) as { last: string }[];
    let target = 10n ** BigInt(last.length) - 4n;
    if (target <= BigInt(last)) target = target * 10n + 36n;
    await db.query(`SELECT setval('request_logs_id_seq', $1::bigint)`, [target.toString()]);
    const ids = await insertRequestLogs(db, Array.from({ length: 8 }, () => ({ model })));
    logIds.push(...ids);
    expect(ids.some((id) => id.length > ids[0].length)).toBe(true);
    const first = await readModel.entries({ model, limit: 3 });
    const second = await readModel.entries({ model, limit: 3, before: first.at(-1)!.id });
    const third = await readModel.entries({ model, limit: 3, before: second.at(-1)!.id });
    expect([...first, ...second, ...third].map((e) => e.id)).toEqual([...ids].reverse());
  });
});
