import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v2';
/** sealed before ciphertexts were bound to their row: still opened, and sealed again as v2 on the next write */
const LEGACY_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for secrets at rest (provider API keys, webhook signing secrets). The output carries its
 * own random IV and a full 16-byte auth tag: `v2.<iv>.<tag>.<ciphertext>`, base64url parts. `context`
 * names where the value lives (`ai_instances:<id>`) and is authenticated with it (AAD), so a sealed
 * value copied to another row, or tampered with, fails to open.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(keyBase64: string) {
    this.key = Buffer.from(keyBase64, 'base64');
    if (this.key.length !== 32) throw new Error('the encryption key must be 32 bytes, base64-encoded');
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  /** The plaintext of a value sealed for `context` (a legacy v1 value opens without it); throws otherwise. */
  open(sealed: string, context: string): string {
    const [version, iv, tag, ciphertext, extra] = sealed.split('.');
    if ((version !== VERSION && version !== LEGACY_VERSION) || !iv || !tag || ciphertext === undefined || extra !== undefined) throw new Error('not a sealed secret');
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    // a shortened tag would make forgeries cheap: exactly 16 bytes, whatever the value claims
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, ivBytes, { authTagLength: TAG_BYTES });
    if (version === VERSION) decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** true for a value sealed before the row binding: it should be sealed again (`seal(open(v, ctx), ctx)`) */
  isLegacy(sealed: string): boolean {
    return sealed.startsWith(`${LEGACY_VERSION}.`);
  }
}

/** The context a secret stored in `table`'s row `id` is sealed for. */
export function rowContext(table: string, id: string): string {
  return `${table}:${id}`;
}
