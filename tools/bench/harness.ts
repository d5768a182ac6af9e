import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import globalSetup from '../../tests/support/global-setup';
import globalTeardown from '../../tests/support/global-teardown';

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
  p99Ms: number;
  errors: number;
  non2xx: number;
  total: number;
}

/** Runs autocannon and reduces its result to what the tables print. */
export async function load(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ ...options });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
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
