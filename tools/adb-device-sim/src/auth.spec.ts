import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { encodeAdbPublicKey, parseAdbPublicKey, signAdbToken as signToken, verifyAdbSignature } from './auth';

describe('adb RSA auth', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });

  it('round-trips a public key through adb\'s format (len, n0inv, n, rr, e)', () => {
    const encoded = encodeAdbPublicKey(publicKey, 'me@host');
    const text = encoded.toString('utf8');
    expect(text.endsWith(' me@host\0')).toBe(true);
    const raw = Buffer.from(text.split(' ')[0], 'base64');
    expect(raw.length).toBe(524); // 2048-bit: 4 + 4 + 256 + 256 + 4
    expect(raw.readUInt32LE(0)).toBe(64);
    // n0inv * n[0] == -1 mod 2^32
    const n0 = BigInt(raw.readUInt32LE(8));
    expect((BigInt(raw.readUInt32LE(4)) * n0) % (1n << 32n)).toBe((1n << 32n) - 1n);
    expect(raw.readUInt32LE(520)).toBe(65537);
    const parsed = parseAdbPublicKey(encoded);
    expect(parsed?.export({ format: 'jwk' }).n).toBe(publicKey.export({ format: 'jwk' }).n);
  });

  it('verifies the host signature of the token, and only with the right key and token', () => {
    const key = parseAdbPublicKey(encodeAdbPublicKey(publicKey))!;
    const token = randomBytes(20);
    const signature = signToken(privateKey, token);
    expect(verifyAdbSignature(key, token, signature)).toBe(true);
    expect(verifyAdbSignature(key, randomBytes(20), signature)).toBe(false);
    expect(verifyAdbSignature(key, token, signToken(other.privateKey, token))).toBe(false);
    expect(verifyAdbSignature(key, token, Buffer.from('junk'))).toBe(false);
  });

  it('rejects malformed keys', () => {
    expect(parseAdbPublicKey(Buffer.from('not a key'))).toBeUndefined();
    expect(parseAdbPublicKey(Buffer.alloc(0))).toBeUndefined();
  });
});
