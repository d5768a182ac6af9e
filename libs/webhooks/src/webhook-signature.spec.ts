import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret, signWebhook, webhookHeaders, webhookSecretKey } from './webhook-signature';

describe('Standard Webhooks signature', () => {
  it('matches the published example of the spec', () => {
    // the example of the Standard Webhooks specification (and Svix's docs)
    const signature = signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('is verified by the standardwebhooks package', () => {
    const secret = generateWebhookSecret();
    const body = JSON.stringify({ type: 'job.completed', timestamp: new Date().toISOString(), data: { jobId: 'j1', status: 'completed' } });
    const headers = webhookHeaders(secret, '7c4a1f7e-0000-4000-8000-000000000001', body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('fails verification with another secret or a changed body', () => {
    const secret = generateWebhookSecret();
    const headers = webhookHeaders(secret, 'msg_1', '{"a":1}');
    expect(() => new Webhook(generateWebhookSecret()).verify('{"a":1}', headers)).toThrow();
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow();
  });

  it('keeps the id and renews timestamp and signature per attempt', () => {
    const secret = generateWebhookSecret();
    const first = webhookHeaders(secret, 'msg_1', '{}', new Date(1_700_000_000_000));
    const second = webhookHeaders(secret, 'msg_1', '{}', new Date(1_700_000_060_000));
    expect(second['webhook-id']).toBe(first['webhook-id']);
    expect(first['webhook-timestamp']).toBe('1700000000');
    expect(second['webhook-timestamp']).toBe('1700000060');
    expect(second['webhook-signature']).not.toBe(first['webhook-signature']);
  });

  it('makes secrets of 32 random bytes with the whsec_ prefix', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhookSecretKey(secret)).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
    expect(() => webhookSecretKey('nope')).toThrow('whsec_');
    expect(() => webhookSecretKey('whsec_c2hvcnQ=')).toThrow('16 bytes');
  });
});
