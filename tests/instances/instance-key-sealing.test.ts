import { createCipheriv, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DATABASE_URL, testSecrets, api, startModelListProvider, type ModelListProvider } from '@ish/test-support';
import { admin, createInstance, deleteInstances } from './instances-api';

/** A provider that notes the key each request brings. */
let provider: ModelListProvider;
const keysSeen: (string | undefined)[] = [];
let baseUrl: string;
let db: DataSource;

/** what SecretBox wrote before ciphertexts were bound to their row (v1: no AAD) */
function sealV1(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(testSecrets().instanceKeyEncryptionKey, 'base64'), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

const storedKey = async (id: string): Promise<string> => ((await db.query('SELECT api_key_encrypted AS k FROM ai_instances WHERE id = $1', [id])) as { k: string }[])[0].k;
const storeKey = (id: string, sealed: string) => db.query('UPDATE ai_instances SET api_key_encrypted = $2 WHERE id = $1', [id, sealed]);
const check = async (id: string) => (await api<{ ok: boolean; error?: string }>('POST', `/api/v1/instances/${id}/health-check`, { token: admin() })).body;

beforeAll(async () => {
  provider = await startModelListProvider((headers) => keysSeen.push(headers.authorization), '127.0.0.1');
  baseUrl = `http://127.0.0.1:${provider.port}/v1`;
  db = await new DataSource({ type: 'postgres', url: DATABASE_URL }).initialize();
});

afterAll(async () => {
  await db?.destroy();
  await provider.close();
});

describe('provider keys at rest', () => {
  const created: string[] = [];
  afterAll(async () => {
    await deleteInstances(created);
  });

  it('are sealed for their own row: a ciphertext moved to another instance does not open there', async () => {
    const a = await createInstance({ name: 'sealed-a', baseUrl, apiKey: 'sk-instance-a', standby: true });
    const b = await createInstance({ name: 'sealed-b', baseUrl, apiKey: 'sk-instance-b', standby: true });
    created.push(a.id, b.id);
    expect(await storedKey(a.id)).toMatch(/^v2\./);

    await storeKey(b.id, await storedKey(a.id));
    keysSeen.length = 0;
    expect(await check(b.id)).toMatchObject({ ok: false, error: expect.stringMatching(/cannot be decrypted/) });
    expect(keysSeen).not.toContain('Bearer sk-instance-a');
  });

  it('still open in the old format (v1), and are sealed again for their row on the next write', async () => {
    const c = await createInstance({ name: 'sealed-legacy', baseUrl, apiKey: 'sk-placeholder', standby: true });
    created.push(c.id);
    await storeKey(c.id, sealV1('sk-legacy-v1'));
    keysSeen.length = 0;
    expect(await check(c.id)).toMatchObject({ ok: true });
    expect(keysSeen.at(-1)).toBe('Bearer sk-legacy-v1');

    expect((await api('PATCH', `/api/v1/instances/${c.id}`, { token: admin(), body: { weight: 3 } })).status).toBe(200);
    expect(await storedKey(c.id)).toMatch(/^v2\./);
    keysSeen.length = 0;
    expect(await check(c.id)).toMatchObject({ ok: true });
    expect(keysSeen.at(-1)).toBe('Bearer sk-legacy-v1');
  });
});
