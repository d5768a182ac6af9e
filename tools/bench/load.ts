import { Queue } from 'bullmq';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GATEWAY_URL, REDIS_URL, REPO_ROOT, STACK_DIR, testSecrets, api, waitForModel } from '@ish/test-support';
import { load, LoadResult, machine, rssMb, simProcess, table, withSystem } from './harness';

/**
 * Issue 11: sustained load through the gateway (nginx → two relay processes → provider-sim with a
 * fixed latency) — sync relay, streaming completions and async submission at 100, 500 and 1000
 * concurrent clients, LOAD_DURATION_S (default 60) each (LOAD_CLIENTS and LOAD_MODES=sync,stream,async
 * choose the rows). Writes docs/benchmarks/load.json and the
 * load table in docs/benchmarks.md.
 */
const DURATION_S = Number(process.env.LOAD_DURATION_S ?? 60);
const LEVELS = (process.env.LOAD_CLIENTS ?? '100,500,1000').split(',').map(Number);
const PROVIDER_LATENCY_MS = Number(process.env.LOAD_PROVIDER_LATENCY_MS ?? 100);
const MODEL = 'load-sim';
const MODES = (process.env.LOAD_MODES ?? 'sync,stream,async').split(',');

type Mode = 'sync relay' | 'streaming completion' | 'async submission';

interface Row extends LoadResult {
  mode: Mode;
  clients: number;
  durationS: number;
  errorRate: number;
  p95Ms: number;
  /** peak RSS per service over the run, MB */
  rssMb: Record<string, number>;
  /** async only: jobs still queued when the run ended */
  backlog?: number;
}

interface AppPid {
  service: string;
  port: number;
  pid: number;
}

function requestFor(mode: Mode): { path: string; body: string } {
  const messages = [{ role: 'user', content: 'load test: say something short' }];
  switch (mode) {
    case 'sync relay':
      return { path: '/api/v1/relay', body: JSON.stringify({ message: 'load test: say something short', model: MODEL }) };
    case 'streaming completion':
      return { path: '/api/v1/chat/completions', body: JSON.stringify({ model: MODEL, messages, stream: true }) };
    case 'async submission':
      return { path: '/api/v1/relay', body: JSON.stringify({ message: 'load test: say something short', model: MODEL, mode: 'async' }) };
  }
}

/** Samples the RSS of every app process while `run` goes on; returns the peak per service. */
async function withRss<T>(apps: AppPid[], run: () => Promise<T>): Promise<[T, Record<string, number>]> {
  const peak: Record<string, number> = {};
  const sample = () => {
    for (const app of apps) {
      try {
        const name = `${app.service}:${app.port}`;
        peak[name] = Math.max(peak[name] ?? 0, rssMb(app.pid));
      } catch {
        // a process that is gone has no RSS to report
      }
    }
  };
  const timer = setInterval(sample, 500);
  try {
    const result = await run();
    sample();
    return [result, peak];
  } finally {
    clearInterval(timer);
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  await withSystem(async () => {
    const admin = testSecrets().adminApiKey;
    const sim = await simProcess(MODEL, 19110, PROVIDER_LATENCY_MS, admin);
    await waitForModel(MODEL);
    const key = (await api<{ key: string }>('POST', '/api/v1/auth/api-keys', { token: admin, body: { name: 'load', scopes: ['chat'], rateLimitPerMinute: 0 } })).body.key;
    const apps = JSON.parse(readFileSync(resolve(STACK_DIR, 'apps.json'), 'utf8')) as AppPid[];
    const queue = new Queue('ai', { connection: { url: REDIS_URL } as never });

    const modes = (['sync relay', 'streaming completion', 'async submission'] as Mode[]).filter((m) => MODES.some((name) => m.startsWith(name)));
    for (const mode of modes) {
      const { path, body } = requestFor(mode);
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
      // warm-up: connections, JIT, the routing table
      await load({ url: `${GATEWAY_URL}${path}`, method: 'POST', body, headers, connections: 16, duration: 3 });
      for (const clients of LEVELS) {
        process.stdout.write(`${mode}, ${clients} clients, ${DURATION_S} s…\n`);
        const [result, rss] = await withRss(apps, () =>
          load({ url: `${GATEWAY_URL}${path}`, method: 'POST', body, headers, connections: clients, duration: DURATION_S, timeout: 30 }),
        );
        const row: Row = {
          mode,
          clients,
          durationS: DURATION_S,
          ...result,
          errorRate: result.total === 0 ? 1 : (result.errors + result.non2xx) / (result.total + result.errors),
          rssMb: rss,
        };
        if (mode === 'async submission') {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
          row.backlog = counts.waiting + counts.active + counts.delayed + counts.prioritized;
          // the next level starts from an empty queue, so one level's backlog never slows the next
          await queue.obliterate({ force: true });
        }
        rows.push(row);
        console.log(table(header, [cells(row)]));
      }
    }
    await queue.close();
    await sim.close();
  });
  const described = `${machine()}; load generator (autocannon), nginx, two relay processes, one worker, PostgreSQL, Redis and RabbitMQ all on this machine; provider-sim answering after ${PROVIDER_LATENCY_MS} ms`;
  report(rows, described);
}

const header = ['mode', 'clients', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'error rate', 'requests', 'peak RSS MB (relay ×2, worker)', 'async backlog'];
function cells(row: Row): (string | number)[] {
  const rss = (service: string) =>
    Object.entries(row.rssMb)
      .filter(([name]) => name.startsWith(`${service}:`))
      .map(([, mb]) => mb);
  return [
    row.mode,
    row.clients,
    row.requestsPerSecond.toFixed(0),
    row.p50Ms,
    row.p95Ms,
    row.p99Ms,
    `${(row.errorRate * 100).toFixed(2)}%`,
    row.total,
    `${rss('relay').join(' + ')}, ${rss('worker').join(' + ')}`,
    row.backlog ?? '',
  ];
}

/** docs/benchmarks/load.json (every figure) and the load section of docs/benchmarks.md (the table). */
function report(rows: Row[], described: string): void {
  const docs = resolve(REPO_ROOT, 'docs');
  mkdirSync(resolve(docs, 'benchmarks'), { recursive: true });
  const at = new Date().toISOString();
  writeFileSync(resolve(docs, 'benchmarks/load.json'), JSON.stringify({ at, machine: described, providerLatencyMs: PROVIDER_LATENCY_MS, rows }, null, 2) + '\n');
  const section = [
    '<!-- load:begin (written by tools/bench/load.ts) -->',
    `Measured ${at.slice(0, 10)} — ${described}; ${DURATION_S} s per row.`,
    '',
    table(header, rows.map(cells)),
    '<!-- load:end -->',
  ].join('\n');
  const file = resolve(docs, 'benchmarks.md');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = '# Benchmarks\n\n## Sustained load\n\n<!-- load:begin --><!-- load:end -->\n';
  }
  text = text.replace(/<!-- load:begin[\s\S]*?<!-- load:end -->/, section);
  writeFileSync(file, text);
  console.log(`\n${section}\n\nwritten to docs/benchmarks.md and docs/benchmarks/load.json`);
}

void main();
