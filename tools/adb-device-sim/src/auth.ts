// adb's RSA authentication, device side.
//
// The host signs the device's 20-byte token with RSA PKCS#1 v1.5, treating the token as a SHA-1
// digest (so the signed block is the SHA-1 DigestInfo prefix followed by the token), and offers its
// public key in adb's own format: base64 of { u32 len (in 32-bit words), u32 n0inv, u32 n[len],
// u32 rr[len], u32 exponent } (all little-endian) followed by " user@host".
import { KeyLike, KeyObject, constants, createPublicKey, privateEncrypt, publicDecrypt } from 'node:crypto';

const SHA1_DIGEST_INFO = Buffer.from('3021300906052b0e03021a05000414', 'hex');

function toBigInt(bigEndian: Buffer): bigint {
  return bigEndian.length === 0 ? 0n : BigInt(`0x${bigEndian.toString('hex')}`);
}

function fromBigInt(value: bigint, bytes: number): Buffer {
  return Buffer.from(value.toString(16).padStart(bytes * 2, '0'), 'hex');
}

/** Parses an adb public key (the payload of AUTH RSAPUBLICKEY); undefined when malformed. */
export function parseAdbPublicKey(payload: Buffer): KeyObject | undefined {
  const text = payload.toString('utf8').replace(/\0+$/, '').trim();
  const raw = Buffer.from(text.split(/\s+/)[0] ?? '', 'base64');
  if (raw.length < 12) return undefined;
  const words = raw.readUInt32LE(0);
  if (words === 0 || words > 1024 || raw.length < 4 + 4 + words * 8 + 4) return undefined;
  const modulus = Buffer.from(raw.subarray(8, 8 + words * 4)).reverse();
  const exponent = raw.readUInt32LE(8 + words * 8);
  const e = fromBigInt(BigInt(exponent), 4);
  const firstNonZero = e.findIndex((byte) => byte !== 0);
  try {
    return createPublicKey({
      key: { kty: 'RSA', n: modulus.toString('base64url'), e: e.subarray(Math.max(0, firstNonZero)).toString('base64url') },
      format: 'jwk',
    });
  } catch {
    return undefined;
  }
}

/** Encodes a public RSA key in adb's format (what the host sends as AUTH RSAPUBLICKEY). */
export function encodeAdbPublicKey(key: KeyObject, comment = 'ish@adb-device-sim'): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.n === undefined || jwk.e === undefined) throw new Error('not an RSA key');
  const modulusBytes = Buffer.from(jwk.n, 'base64url');
  const n = toBigInt(modulusBytes);
  const words = Math.ceil(modulusBytes.length / 4);
  const r32 = 1n << 32n;
  // n0inv = -1 / n[0] mod 2^32
  const n0 = n % r32;
  let inverse = 1n;
  for (let i = 0; i < 5; i++) inverse = (inverse * (2n - n0 * inverse)) % r32; // Newton's iteration
  const n0inv = (r32 - inverse) % r32;
  const rr = (1n << BigInt(words * 32 * 2)) % n;
  const out = Buffer.alloc(4 + 4 + words * 8 + 4);
  out.writeUInt32LE(words, 0);
  out.writeUInt32LE(Number(n0inv), 4);
  fromBigInt(n, words * 4).reverse().copy(out, 8);
  fromBigInt(rr, words * 4).reverse().copy(out, 8 + words * 4);
  out.writeUInt32LE(Number(toBigInt(Buffer.from(jwk.e, 'base64url'))), 8 + words * 8);
  return Buffer.from(`${out.toString('base64')} ${comment}\0`);
}

/** Checks the host's AUTH SIGNATURE over `token` against one public key. */
export function verifyAdbSignature(key: KeyObject, token: Buffer, signature: Buffer): boolean {
  try {
    const block = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
    return block.length === SHA1_DIGEST_INFO.length + token.length && block.subarray(0, SHA1_DIGEST_INFO.length).equals(SHA1_DIGEST_INFO) && block.subarray(SHA1_DIGEST_INFO.length).equals(token);
  } catch {
    return false;
  }
}

/** The host's side: signs a device token as adb does (for tests and scripted hosts). */
export function signAdbToken(privateKey: KeyLike, token: Buffer): Buffer {
  return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA1_DIGEST_INFO, token]));
}
