import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { webhookSecretsKey } from '@ish/webhooks';
import { DATABASE_URL, testSecrets, api, signUp, WebhookReceiver } from '@ish/test-support';
import { publishDomainEvent } from './support/publish-event';

let db: DataSource;
let receiver: WebhookReceiver;
let user: Awaited<ReturnType<typeof signUp>>;

/** a signing secret as SecretBox sealed it before v2 (no AAD), with the webhook key */
function sealV1(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(webhookSecretsKey(testSecrets().instanceKeyEncryptionKey), 'base64'), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

const storedSecret = async (id: string): Promise<string> => ((await db.query('SELECT secret_encrypted AS s FROM webhook_subscriptions WHERE id = $1', [id])) as { s: string }[])[0].s;

beforeAll(async () => {
  db = await new DataSource({ type: 'postgres', url: DATABASE_URL }).initialize();
  receiver = await WebhookReceiver.start();
  user = await signUp('webhook-sealing');
});

afterAll(async () => {
  await receiver?.close();
  await db?.destroy();
});

describe('webhook signing secrets at rest', () => {
  it('are sealed for their subscription; an old (v1) secret still signs and is sealed again on the next write', async () => {
    const created = await api<{ id: string; secret: string }>('POST', '/api/v1/webhooks', { token: user.accessToken, body: { url: receiver.url, events: ['job.completed'] } });
    expect(created.status).toBe(201);
    expect(await storedSecret(created.body.id)).toMatch(/^v2\./);

    const legacySecret = `whsec_${randomBytes(24).toString('base64')}`;
    await db.query('UPDATE webhook_subscriptions SET secret_encrypted = $2 WHERE id = $1', [created.body.id, sealV1(legacySecret)]);
    expect((await api('PATCH', `/api/v1/webhooks/${created.body.id}`, { token: user.accessToken, body: { description: 'touched' } })).status).toBe(200);
    expect(await storedSecret(created.body.id)).toMatch(/^v2\./);

    const jobId = randomUUID();
    await publishDomainEvent('job.completed', { userId: user.userId, jobId, type: 'ai', status: 'completed', result: { reply: 'done' } });
    const [request] = await receiver.waitFor(1, jobId);
    expect(WebhookReceiver.verify<{ data: { jobId: string } }>(legacySecret, request).data.jobId).toBe(jobId);
  });
});
