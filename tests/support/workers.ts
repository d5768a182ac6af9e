import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { serviceUrl, STACK_DIR } from './env';
import { AppProcess, isReady, startApp, waitFor, waitReady } from './system';

const APPS_FILE = resolve(STACK_DIR, 'apps.json');

export interface ListedApp {
  service: string;
  port: number;
  pid: number;
}

/** The app processes of this test run: the global setup's, and those tests started in place of killed ones. */
export function listedApps(): ListedApp[] {
  return existsSync(APPS_FILE) ? (JSON.parse(readFileSync(APPS_FILE, 'utf8')) as ListedApp[]) : [];
}

/** Lists a process a test started, so the global teardown stops it. */
export function listApp(app: AppProcess): void {
  writeFileSync(APPS_FILE, JSON.stringify([...listedApps(), { service: app.service, port: app.port, pid: app.child.pid }]));
}

/** whether `pid` is a live worker process built from this repository (a listed pid may have been reused) */
export function isWorkerProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dist/apps/worker/src/main.js');
  } catch {
    return false;
  }
}

/** The suite's worker processes that are alive: the global setup's, and those tests started in place of killed ones. */
export function runningSuiteWorkers(): number[] {
  return [...new Set(listedApps().filter((a) => a.service === 'worker').map((a) => a.pid))].filter(isWorkerProcess);
}

/** A new worker (default port unless told), listed for the global teardown to stop. */
export async function startReplacementWorker(options: { port?: number; env?: Record<string, string> } = {}): Promise<AppProcess> {
  const worker = startApp('worker', options);
  await waitReady(worker);
  worker.child.unref();
  listApp(worker);
  return worker;
}

/** SIGTERMs every running suite worker and waits until they are gone (they finish their jobs first). */
export async function stopSuiteWorkers(timeoutMs = 30_000): Promise<number[]> {
  const pids = runningSuiteWorkers();
  for (const pid of pids) process.kill(pid, 'SIGTERM');
  await waitFor('the suite workers to stop', async () => pids.every((pid) => !isWorkerProcess(pid)), timeoutMs, 50);
  return pids;
}

/** Later tests expect a worker on the default port: starts one when none answers there. */
export async function ensureSuiteWorker(): Promise<AppProcess | undefined> {
  if (await isReady(serviceUrl('worker'))) return undefined;
  return startReplacementWorker();
}

/** The pid inside a BullMQ `processedBy` (PROCESS_ID: `<host>-<pid>-<hex>`). */
export function pidOfProcessor(processedBy: string): number {
  const match = /-(\d+)-[0-9a-f]+$/.exec(processedBy);
  if (!match) throw new Error(`not a worker process id: ${processedBy}`);
  return Number(match[1]);
}
