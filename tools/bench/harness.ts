import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { api, globalSetup, globalTeardown, waitFor } from '@ish/test-support';

/**
 * Benchmarks run against a real system: the same one `npm test` brings up (test stack, its own
 * ports, apps from dist/). Do not run a benchmark while `npm test` runs.
 */
export async function withSystem<T>(run: () => Promise<T>): Promise<T> {
  process.stdout.write('starting the system (test stack, five apps, gateway)…\n');
  await globalSetup();
  try {
    return await run();
  } finally {
    await globalTeardown();
  }
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  total: number;
  /** p50 and p99 to the hundredth of a ms, from every response time (autocannon's own are whole ms) */
  fine: { p50Ms: number; p99Ms: number };
}

/** Runs autocannon and reduces its result to what the tables print (p95 from every response time). */
export async function load(options: autocannon.Options): Promise<LoadResult> {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon({ ...options }, (error, finished) => (error ? fail(error) : done(finished)));
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  const exact = (p: number) => (times.length === 0 ? 0 : times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]);
  const percentile = (p: number) => Math.round(exact(p));
  const hundredths = (p: number) => Math.round(exact(p) * 100) / 100;
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p95Ms: percentile(95),
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
    fine: { p50Ms: hundredths(50), p99Ms: hundredths(99) },
  };
}

/** CPU time (user + system) a process has used so far, in ms (Linux clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** A Markdown table: the figures are meant to be pasted into notes as they are. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export function machine(): string {
  const cpus = readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((l) => l.startsWith('processor')).length;
  const memKb = Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
  return `${cpus} cores, ${Math.round(memKb / 1024 / 1024)} GiB, Node ${process.version}`;
}

/**
 * A provider-sim of its own (a separate process, so the load generator never starves it) answering
 * `name` as its only model after `latencyMs`, registered as an instance; `close` removes both.
 */
/**
 * A provider-sim process registered as an instance serving the model `name`: OpenAI's protocol (an
 * `openai-compatible` instance), or Anthropic's native Messages API (an `anthropic` instance, whose
 * requests and answers the relay translates).
 */
/** `instanceFields` are added to the instance's registration (e.g. `prices`). */
export async function simProcess(name: string, port: number, latencyMs: number, admin: string, protocol: 'openai' | 'anthropic' = 'openai', instanceFields: Record<string, unknown> = {}): Promise<{ url: string; close: () => Promise<void> }> {
  // Anthropic instances need a key; the sim checks it like the provider would
  const simKey = protocol === 'anthropic' ? ['--protocol', 'anthropic', '--api-key', 'bench-anthropic-key'] : [];
  const child = spawn(process.execPath, [resolve(__dirname, '../provider-sim/src/main.js'), '--port', String(port), '--name', name, '--models', name, '--latency-ms', String(latencyMs), ...simKey], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${name} to listen`, async () => (await fetch(`${url}/health`)).ok, 10_000, 100);
  const instance =
    protocol === 'anthropic'
      ? { name, providerType: 'anthropic', baseUrl: url, apiKey: 'bench-anthropic-key', models: [name], maxConcurrency: 10_000 }
      : { name, providerType: 'openai-compatible', baseUrl: `${url}/v1`, models: [name], maxConcurrency: 10_000 };
  const created = await api<{ id: string }>('POST', '/api/v1/instances', { token: admin, body: { ...instance, ...instanceFields } });
  return {
    url,
    close: async () => {
      await api('DELETE', `/api/v1/instances/${created.body.id}`, { token: admin });
      child.kill('SIGTERM');
    },
  };
}
