import { generateApiKey, generateRefreshToken, hashSecret, isApiKey, safeEqual } from './secrets';

describe('secrets', () => {
  it('makes ish_ keys of 32 random bytes, listed by prefix and stored as a hash', () => {
    const { key, prefix, keyHash } = generateApiKey();
    expect(key).toMatch(/^ish_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice(4), 'base64url')).toHaveLength(32);
    expect(key.startsWith(prefix)).toBe(true);
    expect(keyHash).toBe(hashSecret(key));
    expect(keyHash).not.toContain(key.slice(4));
    expect(isApiKey(key)).toBe(true);
    expect(generateApiKey().key).not.toBe(key);
  });

  it('makes refresh tokens that are not keys', () => {
    const { token, tokenHash } = generateRefreshToken();
    expect(isApiKey(token)).toBe(false);
    expect(tokenHash).toHaveLength(64);
  });

  it('compares in constant time', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
