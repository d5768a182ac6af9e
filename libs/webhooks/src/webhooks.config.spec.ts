import { loadConfig } from '@ish/platform';
import { WebhooksConfig } from './webhooks.config';

const required = {};

describe('WebhooksConfig', () => {
  it('keeps loopback and private webhook targets off unless a deployment opts in', () => {
    expect(loadConfig(WebhooksConfig, required).WEBHOOK_ALLOW_PRIVATE_NETWORKS).toBe(false);
    expect(loadConfig(WebhooksConfig, { ...required, WEBHOOK_ALLOW_PRIVATE_NETWORKS: '' }).WEBHOOK_ALLOW_PRIVATE_NETWORKS).toBe(false);
    expect(loadConfig(WebhooksConfig, { ...required, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }).WEBHOOK_ALLOW_PRIVATE_NETWORKS).toBe(true);
  });
});
