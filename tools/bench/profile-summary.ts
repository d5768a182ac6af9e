import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { table } from './harness';

/** The parts of a V8 `.cpuprofile` (node --cpu-prof) this summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  name: string;
  ms: number;
  share: number;
}

/**
 * Where a process spent its CPU: self time summed per package (`node_modules/<pkg>`, our own code
 * as `ish:<app or lib>`, Node's internals, GC) and per function. Flame graphs need a viewer; this
 * prints the same answer as a table that fits in a note.
 */
export function summarize(profile: CpuProfile): { total: number; byPackage: ProfileShare[]; byFunction: ProfileShare[] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of selfMs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') continue;
    total += ms;
    const pkg = packageOf(frame.url, frame.functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
    const fn = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + ms);
  }
  const ranked = (m: Map<string, number>) =>
    [...m].map(([name, ms]) => ({ name, ms, share: total === 0 ? 0 : ms / total })).sort((a, b) => b.ms - a.ms);
  return { total, byPackage: ranked(packages), byFunction: ranked(functions) };
}

export function packageOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'GC';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  const own = /\/dist\/(apps|libs|tools)\/([^/]+)\//.exec(url);
  if (own) return `ish:${own[2]}`;
  if (url === '') return 'native (V8 built-ins, syscalls: socket writes, JSON, …)';
  if (/^node:internal\/(modules|bootstrap)\//.test(url)) return 'node: module loading (start-up)';
  if (url.startsWith('node:internal/deps/undici')) return 'node: undici (fetch)';
  // node:internal/streams/readable → node:streams, node:_http_server → node:http
  const builtin = /^node:(?:internal\/)?_?([a-z]+)/.exec(url);
  if (builtin) return `node:${builtin[1]}`;
  return url;
}

function shortUrl(url: string): string {
  return url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, '');
}

/** Prints the summary of every `.cpuprofile` in `dir` (the newest first). */
export function printProfiles(dir: string, top = 15): void {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort().reverse()) {
    const summary = summarize(JSON.parse(readFileSync(resolve(dir, file), 'utf8')) as CpuProfile);
    const rows = (shares: ProfileShare[]) => shares.slice(0, top).map((s) => [s.name, s.ms.toFixed(0), `${(s.share * 100).toFixed(1)}%`]);
    console.log(`\nCPU profile ${file}: ${summary.total.toFixed(0)} ms of CPU (idle excluded), self time\n`);
    console.log(table(['package', 'ms', 'share'], rows(summary.byPackage)));
    console.log('');
    console.log(table(['function', 'ms', 'share'], rows(summary.byFunction)));
  }
}

if (require.main === module) printProfiles(process.argv[2] ?? '.', Number(process.argv[3] ?? 15));
