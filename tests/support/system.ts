import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ServiceName } from '@ish/contracts';
import { appEnv, APP_PORTS, REPO_ROOT, serviceUrl, STACK_DIR, TEST_STACK } from './env';

const STACK_SCRIPT = resolve(REPO_ROOT, 'tools/stack/stack.sh');
const stackEnv = () => ({ ...process.env, ...TEST_STACK, NGINX_SITE_CONF: resolve(STACK_DIR, 'gateway/ish.conf') });

/** Runs tools/stack/stack.sh against the test stack. */
export function stack(...args: string[]): string {
  return execFileSync('bash', [STACK_SCRIPT, ...args], { env: stackEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `stack()` without blocking the event loop: load generators and receivers in this process keep running. */
export function stackAsync(...args: string[]): Promise<string> {
  return new Promise((done, fail) =>
    execFile('bash', [STACK_SCRIPT, ...args], { env: stackEnv(), encoding: 'utf8' }, (error, stdout, stderr) =>
      error ? fail(new Error(`stack.sh ${args.join(' ')} failed: ${stderr || error.message}`)) : done(stdout),
    ),
  );
}

export interface AppProcess {
  service: ServiceName;
  port: number;
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Starts a built app (dist/) as a real process with its log under .stack/test/logs. */
/** `nodeArgs` go before the script (e.g. `--cpu-prof`, which NODE_OPTIONS does not accept); `root`: another built checkout (benchmarks comparing builds). */
export function startApp(service: ServiceName, options: { port?: number; env?: Record<string, string>; nodeArgs?: string[]; root?: string } = {}): AppProcess {
  const port = options.port ?? APP_PORTS[service];
  const root = options.root ?? REPO_ROOT;
  const main = resolve(root, 'dist/apps', service, 'src/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const logs = resolve(STACK_DIR, 'logs');
  mkdirSync(logs, { recursive: true });
  const log = openSync(resolve(logs, `${service}-${port}.log`), 'a');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), main], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...appEnv(options.env), PORT: String(port) },
    stdio: ['ignore', log, log],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { service, port, url: serviceUrl(service, port), child, exited };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}

export async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(3000) });
    return response.ok;
  } catch {
    return false;
  }
}

export function waitReady(app: { url: string; service?: string }, timeoutMs = 60_000): Promise<boolean> {
  return waitFor(`${app.service ?? app.url} to be ready`, () => isReady(app.url), timeoutMs);
}

/** SIGTERM and wait for the exit; SIGKILL when it overstays. */
export async function stopApp(app: AppProcess, timeoutMs = 15_000): Promise<number | null> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return app.child.exitCode;
  app.child.kill('SIGTERM');
  const timer = setTimeout(() => app.child.kill('SIGKILL'), timeoutMs);
  try {
    return await app.exited;
  } finally {
    clearTimeout(timer);
  }
}
