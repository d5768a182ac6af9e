import type { AppProcess } from './system';
import { stack, stopApp } from './system';

export default async function globalTeardown(): Promise<void> {
  const apps = (globalThis as { __ISH_APPS__?: AppProcess[] }).__ISH_APPS__ ?? [];
  await Promise.all(apps.map((app) => stopApp(app)));
  if (!process.env.KEEP_STACK) stack('down');
}
