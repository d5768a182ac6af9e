import { randomBytes } from 'node:crypto';
import { loadConfig } from '@ish/platform';
import { WebhooksConfig } from './webhooks.config';

const required = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  REDIS_URL: 'redis://localhost:6379',
  RABBITMQ_URL: 'amqp://u:p@localhost:5672',
  JWT_KEYS: `k1:${'s'.repeat(32)}`,
  INSTANCE_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};

describe('WebhooksConfig', () => {
  it('keeps loopback and private webhook targets off unless a deployment opts in', () => {
    expect(loadConfig(WebhooksConfig, required).WEBHOOK_ALLOW_PRIVATE_NETWORKS).toBe(false);
    expect(loadConfig(WebhooksConfig, { ...required, WEBHOOK_ALLOW_PRIVATE_NETWORKS: '' }).WEBHOOK_ALLOW_PRIVATE_NETWORKS).toBe(false);
    expect(loadConfig(WebhooksConfig, { ...required, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }).WEBHOOK_ALLOW_PRIVATE_NETWORKS).toBe(true);
  });
});
