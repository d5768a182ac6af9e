import { randomBytes } from 'node:crypto';
import { InstanceKeyConfig, SecretBox } from '@ish/platform';
import { WebhookSecrets, webhookSecretsKey } from './webhook-secrets';

describe('WebhookSecrets', () => {
  const instanceKey = randomBytes(32).toString('base64');
  const secrets = new WebhookSecrets(Object.assign(new InstanceKeyConfig(), { INSTANCE_KEY_ENCRYPTION_KEY: instanceKey }));

  const ID = '0f6a9a51-0000-4000-8000-000000000001';

  it('seals a signing secret so that only the same key opens it, for the same subscription', () => {
    const sealed = secrets.seal('whsec_abc', ID);
    expect(sealed).not.toContain('whsec_');
    expect(secrets.open(sealed, ID)).toBe('whsec_abc');
    const other = new WebhookSecrets(Object.assign(new InstanceKeyConfig(), { INSTANCE_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') }));
    expect(() => other.open(sealed, ID)).toThrow();
    expect(() => secrets.open(sealed, '0f6a9a51-0000-4000-8000-000000000002')).toThrow();
    expect(secrets.isLegacy(sealed)).toBe(false);
  });

  it('uses a key of its own, not the instance key itself', () => {
    const derived = webhookSecretsKey(instanceKey);
    expect(Buffer.from(derived, 'base64')).toHaveLength(32);
    expect(derived).not.toBe(instanceKey);
    expect(webhookSecretsKey(instanceKey)).toBe(derived);
    // what instance keys were sealed with cannot open a webhook secret
    expect(() => new SecretBox(instanceKey).open(secrets.seal('whsec_abc', ID), `webhook_subscriptions:${ID}`)).toThrow();
  });
});
