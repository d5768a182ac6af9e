import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { STACK_DIR } from './env';
import type { AppProcess } from './system';
import { stack, stopApp } from './system';

export default async function globalTeardown(): Promise<void> {
  const apps = (globalThis as { __ISH_APPS__?: AppProcess[] }).__ISH_APPS__ ?? [];
  await Promise.all(apps.map((app) => stopApp(app)));
  // processes that tests started in place of killed ones
  const file = resolve(STACK_DIR, 'apps.json');
  const listed = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { pid: number }[]) : [];
  for (const { pid } of listed) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  if (!process.env.KEEP_STACK) stack('down');
}
