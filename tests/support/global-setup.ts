import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ServiceName } from '@ish/contracts';
import type * as GatewayRenderer from '@ish/gateway';
import { APP_PORTS, createTestSecrets, DATABASE_URL, REPO_ROOT, SECOND_RELAY_PORT, STACK_DIR, TEST_STACK } from './env';
import { AppProcess, stack, startApp, waitReady } from './system';

/** Brings up the test stack (real PostgreSQL, Redis, RabbitMQ, nginx), migrates, starts the five apps. */
export default async function globalSetup(): Promise<void> {
  // jest loads the global setup without the @ish path aliases: the renderer comes from dist/, as the migrations do
  const { renderGatewayConfig, WEB_BUILD_DIR } = (await import(resolve(REPO_ROOT, 'dist/tools/gateway/render-nginx.js'))) as typeof GatewayRenderer;
  createTestSecrets();
  mkdirSync(resolve(STACK_DIR, 'gateway'), { recursive: true });
  writeFileSync(
    resolve(STACK_DIR, 'gateway/ish.conf'),
    renderGatewayConfig({
      listen: `127.0.0.1:${TEST_STACK.GATEWAY_PORT}`,
      bodyLimit: '32m',
      auth: [`127.0.0.1:${APP_PORTS.auth}`],
      relay: [`127.0.0.1:${APP_PORTS.relay}`, `127.0.0.1:${SECOND_RELAY_PORT}`],
      instanceManager: [`127.0.0.1:${APP_PORTS['instance-manager']}`],
      androidBridge: [`127.0.0.1:${APP_PORTS['android-bridge']}`],
      // the console as `npm run build` made it (tests/web drives it in a browser)
      webRoot: WEB_BUILD_DIR,
    }),
  );
  process.stdout.write('\n' + stack('up'));
  // every run starts from an empty database and Redis: leftovers of a crashed run never leak into this one
  stack('psql', '-q', '-v', 'ON_ERROR_STOP=1', '-c', 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  stack('redis-cli', 'FLUSHALL');
  // the same migration command `npm start` runs (global setup cannot use the @ish path aliases)
  execFileSync(process.execPath, [resolve(REPO_ROOT, 'dist/tools/db/migrate.js')], { env: { ...process.env, DATABASE_URL }, stdio: 'inherit' });
  const apps: AppProcess[] = (Object.keys(APP_PORTS) as ServiceName[]).map((service) => startApp(service));
  apps.push(startApp('relay', { port: SECOND_RELAY_PORT }));
  (globalThis as { __ISH_APPS__?: AppProcess[] }).__ISH_APPS__ = apps;
  await Promise.all(apps.map((app) => waitReady(app, 90_000)));
  // tests that kill a process find it here (test files do not share the setup's globals)
  writeFileSync(resolve(STACK_DIR, 'apps.json'), JSON.stringify(apps.map((a) => ({ service: a.service, port: a.port, pid: a.child.pid }))));
}
