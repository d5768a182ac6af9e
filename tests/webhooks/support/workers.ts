import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { STACK_DIR } from '../../support/env';
import { AppProcess, startApp, waitReady } from '../../support/system';

const APPS_FILE = resolve(STACK_DIR, 'apps.json');

interface ListedApp {
  service: string;
  port: number;
  pid: number;
}

function listedApps(): ListedApp[] {
  return existsSync(APPS_FILE) ? (JSON.parse(readFileSync(APPS_FILE, 'utf8')) as ListedApp[]) : [];
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

/** A new worker on the default port, listed for the global teardown to stop. */
export async function startReplacementWorker(): Promise<AppProcess> {
  const worker = startApp('worker');
  await waitReady(worker);
  worker.child.unref();
  writeFileSync(APPS_FILE, JSON.stringify([...listedApps(), { service: 'worker', port: worker.port, pid: worker.child.pid }]));
  return worker;
}

/** The pid inside a BullMQ `processedBy` (PROCESS_ID: `<host>-<pid>-<hex>`). */
export function pidOfProcessor(processedBy: string): number {
  const match = /-(\d+)-[0-9a-f]+$/.exec(processedBy);
  if (!match) throw new Error(`not a worker process id: ${processedBy}`);
  return Number(match[1]);
}
