import { randomBytes } from 'node:crypto';
import { SecretBox } from '@ish/platform';
import { WebhooksConfig } from './webhooks.config';
import { WebhookSecrets, webhookSecretsKey } from './webhook-secrets';

describe('WebhookSecrets', () => {
  const instanceKey = randomBytes(32).toString('base64');
  const secrets = new WebhookSecrets(Object.assign(new WebhooksConfig(), { INSTANCE_KEY_ENCRYPTION_KEY: instanceKey }));

  it('seals a signing secret so that only the same key opens it', () => {
    const sealed = secrets.seal('whsec_abc');
    expect(sealed).not.toContain('whsec_');
    expect(secrets.open(sealed)).toBe('whsec_abc');
    const other = new WebhookSecrets(Object.assign(new WebhooksConfig(), { INSTANCE_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') }));
    expect(() => other.open(sealed)).toThrow();
  });

  it('uses a key of its own, not the instance key itself', () => {
    const derived = webhookSecretsKey(instanceKey);
    expect(Buffer.from(derived, 'base64')).toHaveLength(32);
    expect(derived).not.toBe(instanceKey);
    expect(webhookSecretsKey(instanceKey)).toBe(derived);
    // what instance keys were sealed with cannot open a webhook secret
    expect(() => new SecretBox(instanceKey).open(secrets.seal('whsec_abc'))).toThrow();
  });
});
