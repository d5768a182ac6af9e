import { createCipheriv, randomBytes } from 'node:crypto';
import { rowContext, SecretBox } from './secret-box';

const ROW = rowContext('ai_instances', '0b6c1f3e-1111-4a4a-8888-000000000001');
const OTHER_ROW = rowContext('ai_instances', '0b6c1f3e-1111-4a4a-8888-000000000002');

/** what SecretBox wrote before v2: no AAD */
function sealV1(keyBase64: string, plaintext: string, tagLength = 16): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(keyBase64, 'base64'), iv, { authTagLength: tagLength });
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

describe('SecretBox', () => {
  const key = randomBytes(32).toString('base64');
  const box = new SecretBox(key);

  it('round-trips and never shows the plaintext', () => {
    const sealed = box.seal('sk-live-123', ROW);
    expect(sealed).toMatch(/^v2\./);
    expect(sealed).not.toContain('sk-live');
    expect(box.open(sealed, ROW)).toBe('sk-live-123');
    expect(box.seal('sk-live-123', ROW)).not.toBe(sealed);
    expect(Buffer.from(sealed.split('.')[2], 'base64url')).toHaveLength(16);
  });

  it('binds the ciphertext to its row: moved to another row id it fails to open', () => {
    const sealed = box.seal('sk-live-123', ROW);
    expect(() => box.open(sealed, OTHER_ROW)).toThrow();
    expect(() => box.open(sealed, rowContext('webhook_subscriptions', '0b6c1f3e-1111-4a4a-8888-000000000001'))).toThrow();
  });

  it('refuses a tampered value and another key', () => {
    const sealed = box.seal('secret', ROW);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('xxxxxx').toString('base64url');
    expect(() => box.open(parts.join('.'), ROW)).toThrow();
    expect(() => new SecretBox(randomBytes(32).toString('base64')).open(sealed, ROW)).toThrow();
  });

  it('refuses a shortened auth tag, whatever the value claims', () => {
    const sealed = box.seal('secret', ROW).split('.');
    sealed[2] = Buffer.from(sealed[2], 'base64url').subarray(0, 4).toString('base64url');
    expect(() => box.open(sealed.join('.'), ROW)).toThrow('not a sealed secret');
    expect(() => box.open(sealV1(key, 'secret', 4), ROW)).toThrow('not a sealed secret');
  });

  it('still opens a v1 value stored before the row binding, and says it should be sealed again', () => {
    const legacy = sealV1(key, 'sk-old');
    expect(box.isLegacy(legacy)).toBe(true);
    expect(box.open(legacy, ROW)).toBe('sk-old');
    const resealed = box.seal(box.open(legacy, ROW), ROW);
    expect(box.isLegacy(resealed)).toBe(false);
    expect(box.open(resealed, ROW)).toBe('sk-old');
  });

  it('refuses what is not a sealed value', () => {
    expect(() => box.open('v3.a.b.c', ROW)).toThrow('not a sealed secret');
    expect(() => box.open('plain', ROW)).toThrow('not a sealed secret');
  });

  it('insists on a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16).toString('base64'))).toThrow('32 bytes');
  });
});
