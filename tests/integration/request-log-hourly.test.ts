// The hourly usage figures the request log's triggers keep, and the retention sweep, against the test
// stack's PostgreSQL: usage series always equal the calls the log holds, whatever is inserted or deleted.
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RequestLogReadModel, RequestLogRetention, UsageConfig } from '@ish/usage';
import { DATABASE_URL, deleteRequestLogs, insertRequestLogs } from '@ish/test-support';

let db: DataSource;
let readModel: RequestLogReadModel;

beforeAll(async () => {
  db = await new DataSource({ type: 'postgres', url: DATABASE_URL }).initialize();
  readModel = new RequestLogReadModel(db);
});

afterAll(async () => {
  await db?.destroy();
});

describe('request_log_hourly', () => {
  // hours long ago that no other test writes to
  const at = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2002, 2, day, hour, minute));
  const range = { from: at(1, 0), to: at(3, 0) };
  const user = randomUUID();
  const ids: string[] = [];

  beforeAll(async () => {
    ids.push(
      ...(await insertRequestLogs(db, [
        { at: at(1, 10, 5), userId: user, model: 'a', promptTokens: 10, completionTokens: 5, costUsd: 0.25 },
        { at: at(1, 10, 55), userId: user, model: 'a', promptTokens: 20, completionTokens: 10, costUsd: 0.5, outcome: 'upstream_error' },
        { at: at(1, 11, 0), userId: user, model: 'a', promptTokens: 1, completionTokens: 1, costUsd: 0.125 },
        { at: at(2, 23, 59), userId: user, model: 'b', promptTokens: 7, completionTokens: 3, costUsd: 1 },
        // someone else's, in the same hour
        { at: at(1, 10, 30), userId: randomUUID(), model: 'a', promptTokens: 100, completionTokens: 100, costUsd: 9 },
      ])),
    );
  });

  afterAll(async () => {
    await deleteRequestLogs(db, ids);
  });

  it('sums a user’s calls per hour and model, errors apart', async () => {
    const report = await readModel.usageSeries({ range, interval: 'hour', groupBy: 'model', userId: user });
    expect(report.series).toEqual([
      {
        key: 'a',
        points: [
          { t: '2002-03-01T10:00:00.000Z', requests: 2, errors: 1, promptTokens: 30, completionTokens: 15, costUsd: 0.75 },
          { t: '2002-03-01T11:00:00.000Z', requests: 1, errors: 0, promptTokens: 1, completionTokens: 1, costUsd: 0.125 },
        ],
      },
      { key: 'b', points: [{ t: '2002-03-02T23:00:00.000Z', requests: 1, errors: 0, promptTokens: 7, completionTokens: 3, costUsd: 1 }] },
    ]);
    expect(report.totals).toEqual({ requests: 4, errors: 1, promptTokens: 38, completionTokens: 19, costUsd: 1.875 });
  });

  it('adds hours up into UTC days, and everyone’s calls for an admin', async () => {
    const days = await readModel.usageSeries({ range, interval: 'day', groupBy: 'user', userId: user });
    expect(days.series).toEqual([
      {
        key: user,
        points: [
          { t: '2002-03-01T00:00:00.000Z', requests: 3, errors: 1, promptTokens: 31, completionTokens: 16, costUsd: 0.875 },
          { t: '2002-03-02T00:00:00.000Z', requests: 1, errors: 0, promptTokens: 7, completionTokens: 3, costUsd: 1 },
        ],
      },
    ]);
    const everyone = await readModel.usageSeries({ range, interval: 'day', groupBy: 'model' });
    expect(everyone.totals.requests).toBe(5);
    expect(everyone.totals.costUsd).toBe(10.875);
  });

  it('takes deleted calls out of their hour, and the hour away once empty', async () => {
    const [first, , third] = ids;
    await deleteRequestLogs(db, [first, third]);
    const report = await readModel.usageSeries({ range, interval: 'hour', groupBy: 'model', userId: user });
    expect(report.series[0]).toEqual({ key: 'a', points: [{ t: '2002-03-01T10:00:00.000Z', requests: 1, errors: 1, promptTokens: 20, completionTokens: 10, costUsd: 0.5 }] });
    const [{ hours }] = await db.query<{ hours: number }[]>(`SELECT count(*)::int AS hours FROM request_log_hourly WHERE user_id = $1 AND bucket = $2`, [user, at(1, 11)]);
    expect(hours).toBe(0);
  });
});

describe('RequestLogRetention', () => {
  const user = randomUUID();
  const now = new Date();
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const config = Object.assign(new UsageConfig(), { REQUEST_LOG_RETENTION_DAYS: 90, REQUEST_LOG_BODIES_DAYS: 7 });
  let ids: Record<'expired' | 'oldBodies' | 'freshBodies', string>;

  beforeAll(async () => {
    const insert = async (createdAt: Date, bodies: object | null) => {
      const [row] = await db.query<{ id: string }[]>(
        `INSERT INTO request_logs (user_id, model, latency_ms, outcome, created_at, bodies, prompt_tokens) VALUES ($1, 'retained', 5, 'success', $2, $3, 4) RETURNING id`,
        [user, createdAt, bodies === null ? null : JSON.stringify(bodies)],
      );
      return row.id;
    };
    ids = {
      expired: await insert(daysAgo(91), null),
      oldBodies: await insert(daysAgo(8), { request: { messages: [] }, response: null }),
      freshBodies: await insert(daysAgo(1), { request: { messages: [] }, response: null }),
    };
  });

  afterAll(async () => {
    await deleteRequestLogs(db, Object.values(ids));
  });

  it('deletes calls past REQUEST_LOG_RETENTION_DAYS (usage follows) and erases bodies past REQUEST_LOG_BODIES_DAYS', async () => {
    const swept = await new RequestLogRetention(db, config).sweep(now);
    expect(swept.deleted).toBeGreaterThanOrEqual(1);
    expect(swept.bodiesErased).toBeGreaterThanOrEqual(1);
    const rows = await db.query<{ id: string; kept: boolean }[]>(`SELECT id::text AS id, bodies IS NOT NULL AS kept FROM request_logs WHERE user_id = $1 ORDER BY id`, [user]);
    expect(rows).toEqual([
      { id: ids.oldBodies, kept: false },
      { id: ids.freshBodies, kept: true },
    ]);
    const usage = await readModel.usageSeries({ range: { from: daysAgo(100), to: now }, interval: 'day', groupBy: 'model', userId: user });
    expect(usage.totals.requests).toBe(2);
  });

  it('keeps every call with REQUEST_LOG_RETENTION_DAYS=0', async () => {
    const keepAll = Object.assign(new UsageConfig(), { REQUEST_LOG_RETENTION_DAYS: 0, REQUEST_LOG_BODIES_DAYS: 1 });
    const old = await insertRequestLogs(db, [{ at: daysAgo(400), userId: user, model: 'retained' }]);
    try {
      expect((await new RequestLogRetention(db, keepAll).sweep(now)).deleted).toBe(0);
      const [{ n }] = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM request_logs WHERE id = $1`, [old[0]]);
      expect(n).toBe(1);
    } finally {
      await deleteRequestLogs(db, old);
    }
  });
});
