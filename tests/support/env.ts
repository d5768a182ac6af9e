import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ServiceName } from '@ish/contracts';

/** The test system runs on its own ports so it can run beside a dev system (`npm start`). */
export const REPO_ROOT = resolve(__dirname, '../..');
export const TEST_STACK = {
  STACK_NAME: 'test',
  PG_PORT: '55442',
  REDIS_PORT: '56389',
  AMQP_PORT: '55682',
  GATEWAY_PORT: '18080',
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
    ...extra,
  };
}
