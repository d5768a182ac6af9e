import { readFileSync } from 'node:fs';
import { SERVICE_NAMES } from '@ish/contracts';
import { APP_PORTS, SECOND_RELAY_PORT, serviceUrl, isReady, stack, stackAsync, waitFor, ensureSuiteWorker, listedApps } from '@ish/test-support';

/** The app processes every test expects: the five apps on their ports and the second relay. */
export const EXPECTED_APPS = [...SERVICE_NAMES.map((service) => ({ service, port: APP_PORTS[service] })), { service: 'relay', port: SECOND_RELAY_PORT }];

/** Every expected app answers /health/ready (database, Redis, RabbitMQ and, for workers, consumers). */
export async function allReady(): Promise<boolean> {
  const ready = await Promise.all(EXPECTED_APPS.map(({ service, port }) => isReady(serviceUrl(service as never, port))));
  return ready.every(Boolean);
}

/** Waits until every expected app is ready; answers how long that took. */
export async function waitAllReady(timeoutMs = 90_000): Promise<number> {
  const started = Date.now();
  await waitFor('every app to be ready', () => allReady(), timeoutMs, 250);
  return Date.now() - started;
}

/** whether every server of the stack is up (`stack.sh status`) */
export function stackUp(): boolean {
  try {
    stack('status');
    return true;
  } catch {
    return false;
  }
}

/**
 * Leaves the system as the next test expects it: every server up, a worker on the default port,
 * every app ready. Used after each scenario, whatever happened in it.
 */
export async function restoreSystem(log: (line: string) => void): Promise<void> {
  if (!stackUp()) {
    log('a server of the stack is down: starting it');
    await stackAsync('up');
  }
  const worker = await ensureSuiteWorker();
  if (worker) log(`started a worker in place of the killed one (pid ${worker.child.pid})`);
  await waitAllReady();
}

/** pid of each listed app process that is alive now, by `service:port` */
export function livePids(): Map<string, number> {
  const pids = new Map<string, number>();
  for (const app of listedApps()) {
    try {
      if (readFileSync(`/proc/${app.pid}/cmdline`, 'utf8').includes(`dist/apps/${app.service}/`)) pids.set(`${app.service}:${app.port}`, app.pid);
    } catch {
      /* gone */
    }
  }
  return pids;
}
