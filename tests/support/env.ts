import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { ServiceName } from '@ish/contracts';

/** The repository, found from this file whether it runs as source (jest) or from dist/ (benchmarks). */
export const REPO_ROOT = ((): string => {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(resolve(dir, 'nx.json')) && basename(dir) !== 'dist') return dir;
  }
  throw new Error('repository root not found');
})();

/** The test system runs on its own ports so it can run beside a dev system (`npm start`). */
export const TEST_STACK = {
  STACK_NAME: 'test',
  PG_PORT: '55442',
  REDIS_PORT: '56389',
  AMQP_PORT: '55682',
  GATEWAY_PORT: '18080',
  // its own adb server: the dev one (5037) keeps its devices
  ADB_PORT: '15037',
};
export const STACK_DIR = resolve(REPO_ROOT, '.stack', TEST_STACK.STACK_NAME);

export const APP_PORTS: Record<ServiceName, number> = {
  auth: 18001,
  relay: 18002,
  'instance-manager': 18003,
  'android-bridge': 18004,
  worker: 18005,
};

export const GATEWAY_URL = `http://127.0.0.1:${TEST_STACK.GATEWAY_PORT}`;
export const DATABASE_URL = `postgres://ish:ish@127.0.0.1:${TEST_STACK.PG_PORT}/ish`;
export const REDIS_URL = `redis://127.0.0.1:${TEST_STACK.REDIS_PORT}`;
export const RABBITMQ_URL = `amqp://ish:ish@127.0.0.1:${TEST_STACK.AMQP_PORT}`;

export function serviceUrl(service: ServiceName, port = APP_PORTS[service]): string {
  return `http://127.0.0.1:${port}`;
}

/** A second relay process behind the gateway: rate limits and revocations must hold across replicas. */
export const SECOND_RELAY_PORT = 18012;

export interface TestSecrets {
  jwtKeys: string;
  adminApiKey: string;
  instanceKeyEncryptionKey: string;
}

const SECRETS_FILE = resolve(STACK_DIR, 'test-secrets.json');

/** Fresh secrets per test run, made by the global setup and read by every test file. */
export function createTestSecrets(): TestSecrets {
  const secrets: TestSecrets = {
    jwtKeys: `t${Date.now().toString(36)}:${randomBytes(32).toString('base64url')}`,
    adminApiKey: `ish_${randomBytes(32).toString('base64url')}`,
    instanceKeyEncryptionKey: randomBytes(32).toString('base64'),
  };
  mkdirSync(STACK_DIR, { recursive: true });
  writeFileSync(SECRETS_FILE, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

export function testSecrets(): TestSecrets {
  if (!existsSync(SECRETS_FILE)) throw new Error('test secrets missing: the global setup did not run');
  return JSON.parse(readFileSync(SECRETS_FILE, 'utf8')) as TestSecrets;
}

/** The environment every test app process gets. */
export function appEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    DATABASE_URL,
    REDIS_URL,
    RABBITMQ_URL,
    SHUTDOWN_GRACE_SECONDS: '10',
    JWT_KEYS: testSecrets().jwtKeys,
    ISH_ADMIN_API_KEY: testSecrets().adminApiKey,
    INSTANCE_KEY_ENCRYPTION_KEY: testSecrets().instanceKeyEncryptionKey,
    HEALTH_TARGETS: (Object.keys(APP_PORTS) as ServiceName[]).map((s) => `${s}=${serviceUrl(s)}`).join(','),
    AUTH_ALLOW_REGISTRATION: 'true',
    // every test comes from 127.0.0.1: the per-address budget is for the tests that flood on purpose
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    // a browser page on this origin may call the API (tests/e2e/cors.test.ts); any other gets no CORS header
    CORS_ORIGINS: 'https://console.cors-test.example',
    ADB_PORT: TEST_STACK.ADB_PORT,
    // the read-only default plus the opt-in programs the android, chaos and console tests drive (am, pm,
    // settings, input, screencap, cat) and `sleep`, so a test can show a command stopped at its timeout
    ANDROID_ALLOWED_COMMANDS: 'getprop,dumpsys,pm,am,input,wm,settings,screencap,echo,ls,cat,sleep',
    // a killed worker's job is taken over within seconds
    WORKER_LOCK_DURATION_MS: '4000',
    // instance-manager: fast probe and scaler rounds, and a short leader lock so a restarted one leads at once
    HEALTH_PROBE_INTERVAL_MS: '500',
    HEALTH_PROBE_TIMEOUT_MS: '2000',
    SCALING_INTERVAL_MS: '500',
    LEADER_LOCK_TTL_MS: '3000',
    // webhooks: retries within a second or two and a short timeout, so retry, kill and disable tests take seconds
    WEBHOOK_TIMEOUT_MS: '2000',
    WEBHOOK_MAX_ATTEMPTS: '5',
    WEBHOOK_BACKOFF_BASE_MS: '500',
    WEBHOOK_BACKOFF_MAX_MS: '2000',
    WEBHOOK_DISABLE_AFTER_FAILURES: '3',
    // the test receivers listen on 127.0.0.1; the default (off) is shown by apps started without it
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    ...extra,
  };
}
