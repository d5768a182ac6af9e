import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '@ish/database';
import { DATABASE_URL, stack } from '@ish/test-support';
import { RequestLogReadModel, usageBuckets, UsageConfig } from '@ish/usage';
import { machine, table } from './harness';

/**
 * Issue 22: GET /api/v1/usage over a big request log. Fills `request_logs` of a database of its own
 * (BENCH_DATABASE, dropped at the end) with BENCH_ROWS calls (default 5 million) spread over the last
 * BENCH_DAYS days, in SQL (generate_series), then times the read model's queries, each BENCH_RUNS times:
 * the admin's 30-day hourly chart by model, one user's, and the first page of the log. Target: < 200 ms.
 *
 *   npm run build && flock /tmp/ish-stack.lock node dist/tools/bench/usage-query.js
 *
 * Needs only PostgreSQL: BENCH_DATABASE_URL (default: the test stack's server, started and stopped here if down).
 */
const ROWS = Number(process.env.BENCH_ROWS ?? 5_000_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const USERS = Number(process.env.BENCH_USERS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const DATABASE = process.env.BENCH_DATABASE ?? 'ish_usage_bench';
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? DATABASE_URL;
// inserted in chunks: each statement's trigger sums its chunk into the hourly figures
const CHUNK = 500_000;
const MODELS = 12;
const INSTANCES = 6;

/** The server URL with another database. */
function databaseUrl(database: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function connect(url: string): Promise<DataSource> {
  // filling runs statements far longer than the apps' statement_timeout
  return new DataSource({ ...dataSourceOptions(url), entities: [], migrations: [], extra: { max: 2, statement_timeout: 0 } }).initialize();
}

/**
 * Rows numbered `first`..`last`: user i % USERS, two keys per user, each key calling three of the
 * models (a model is served by one instance), one call in 20 failed, spread evenly over the days.
 */
function fill(first: number, last: number): string {
  return `INSERT INTO request_logs (instance_id, user_id, api_key_id, model, provider_type, prompt_tokens, completion_tokens, cost_usd, unpriced, latency_ms, outcome, status_code, created_at, route)
    SELECT ('00000000-0000-4000-8000-' || lpad(((k * 7 + i % 3) % ${MODELS} % ${INSTANCES})::text, 12, '0'))::uuid,
           ('00000000-0000-4000-8000-' || lpad(u::text, 12, '0'))::uuid,
           ('00000000-0000-4000-9000-' || lpad(k::text, 12, '0'))::uuid,
           'model-' || ((k * 7 + i % 3) % ${MODELS}), 'openai', 100 + i % 900, 20 + i % 300, ((100 + i % 900) * 2.5 + (20 + i % 300) * 10) / 1e6, false,
           50 + i % 2000, CASE WHEN i % 20 = 0 THEN 'upstream_error' ELSE 'success' END, CASE WHEN i % 20 = 0 THEN 502 ELSE 200 END,
           now() - make_interval(secs => ${DAYS * 86_400} * (i::float8 / ${ROWS})), '/api/v1/chat/completions'
    FROM generate_series(${first}, ${last}) AS i, LATERAL (SELECT i % ${USERS} AS u) AS users, LATERAL (SELECT u * 2 + (i / ${USERS}) % 2 AS k) AS keys`;
}

async function time<T>(run: () => Promise<T>): Promise<{ medianMs: number; bestMs: number; result: T }> {
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    result = await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)], bestMs: times[0], result };
}

async function main(): Promise<void> {
  let startedPostgres = false;
  let server: DataSource;
  try {
    server = await connect(SERVER_URL);
  } catch {
    process.stdout.write('starting the test stack’s PostgreSQL…\n');
    stack('start', 'postgres');
    startedPostgres = true;
    server = await connect(SERVER_URL);
  }
  try {
    await server.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
    await server.query(`CREATE DATABASE ${DATABASE}`);
    const url = databaseUrl(DATABASE);
    await runMigrations(url);
    const db = await connect(url);
    try {
      const filling = performance.now();
      for (let first = 1; first <= ROWS; first += CHUNK) {
        await db.query(fill(first, Math.min(first + CHUNK - 1, ROWS)));
        process.stdout.write(`\r${Math.min(first + CHUNK - 1, ROWS).toLocaleString('en')} rows`);
      }
      await db.query('VACUUM ANALYZE request_logs');
      await db.query('VACUUM ANALYZE request_log_hourly');
      await db.query('VACUUM ANALYZE request_log_hourly_totals');
      const fillS = (performance.now() - filling) / 1000;
      const [{ hours, totals }] = await db.query<{ hours: number; totals: number }[]>(
        'SELECT (SELECT count(*)::int FROM request_log_hourly) AS hours, (SELECT count(*)::int FROM request_log_hourly_totals) AS totals',
      );
      process.stdout.write(`\rfilled ${ROWS.toLocaleString('en')} calls in ${fillS.toFixed(1)} s; ${hours.toLocaleString('en')} hourly rows per user and key, ${totals.toLocaleString('en')} of totals\n`);

      const readModel = new RequestLogReadModel(db);
      const now = new Date();
      const range = usageBuckets({ from: new Date(now.getTime() - 30 * 86_400_000), to: now }, 'hour', new UsageConfig().USAGE_MAX_POINTS);
      const oneUser = '00000000-0000-4000-8000-000000000007';
      const admin = await time(() => readModel.usageSeries({ range, interval: 'hour', groupBy: 'model' }));
      const user = await time(() => readModel.usageSeries({ range, interval: 'hour', groupBy: 'model', userId: oneUser }));
      const byKey = await time(() => readModel.usageSeries({ range, interval: 'day', groupBy: 'apiKey' }));
      const page = await time(() => readModel.entries({ limit: 50, userId: oneUser }));
      const report = await time(() => readModel.totalsBy('model', range));

      console.log(`\nUsage queries over ${ROWS.toLocaleString('en')} request_logs rows (${DAYS} days, ${USERS} users) — ${machine()}, median of ${RUNS} runs\n`);
      console.log(
        table(
          ['query', 'median ms', 'best ms', 'answer'],
          [
            ['GET /usage admin, 30 days, hourly, by model', admin.medianMs.toFixed(1), admin.bestMs.toFixed(1), `${admin.result.series.length} series, ${admin.result.totals.requests.toLocaleString('en')} calls`],
            ['GET /usage one user, 30 days, hourly, by model', user.medianMs.toFixed(1), user.bestMs.toFixed(1), `${user.result.series.length} series, ${user.result.totals.requests.toLocaleString('en')} calls`],
            ['GET /usage admin, 30 days, daily, by API key', byKey.medianMs.toFixed(1), byKey.bestMs.toFixed(1), `${byKey.result.series.length} series`],
            ['GET /logs one user, first page of 50', page.medianMs.toFixed(1), page.bestMs.toFixed(1), `${page.result.length} entries`],
            ['GET /admin/usage by model (raw log), 30 days', report.medianMs.toFixed(1), report.bestMs.toFixed(1), `${report.result.length} models`],
          ],
        ),
      );
    } finally {
      await db.destroy();
    }
    if (!process.env.BENCH_KEEP) await server.query(`DROP DATABASE ${DATABASE}`);
  } finally {
    await server.destroy();
    if (startedPostgres) stack('stop', 'postgres');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
