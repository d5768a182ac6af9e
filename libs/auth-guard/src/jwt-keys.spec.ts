import jwt from 'jsonwebtoken';
import { parseSigningKeys, signAccessToken, verifyAccessToken } from './jwt-keys';

const claims = { sub: 'u1', email: 'a@b.co', role: 'user' as const, scopes: ['chat' as const], sid: 's1' };
const oldKey = { kid: 'k1', secret: 'a'.repeat(32) };
const newKey = { kid: 'k2', secret: 'b'.repeat(32) };

describe('access tokens', () => {
  it('parses keys, the first one signing', () => {
    expect(parseSigningKeys(`k2:${'b'.repeat(32)},k1:x:y${'a'.repeat(30)}`)).toEqual([
      { kid: 'k2', secret: 'b'.repeat(32) },
      { kid: 'k1', secret: `x:y${'a'.repeat(30)}` },
    ]);
  });

  it('round-trips and names the key', () => {
    const token = signAccessToken(claims, [newKey, oldKey], 900);
    expect(jwt.decode(token, { complete: true })?.header).toMatchObject({ alg: 'HS256', kid: 'k2' });
    expect(verifyAccessToken(token, [newKey, oldKey])).toMatchObject(claims);
  });

  it('carries the issue time to the ms beside the standard seconds, and expires from it', () => {
    const now = Date.parse('2026-11-24T12:00:00.456Z');
    const verified = jwt.decode(signAccessToken(claims, [newKey], 900, now)) as Record<string, number>;
    expect(verified).toMatchObject({ iat: Math.floor(now / 1000), iat_ms: now, exp: Math.floor(now / 1000) + 900 });
  });

  it('keeps tokens of the previous key valid during a rotation, and drops them once the key is removed', () => {
    const token = signAccessToken(claims, [oldKey], 900);
    expect(verifyAccessToken(token, [newKey, oldKey])?.sub).toBe('u1');
    expect(verifyAccessToken(token, [newKey])).toBeNull();
  });

  it('refuses another algorithm, an unsigned token, a forged signature and an expired token', () => {
    const none = jwt.sign(claims, '', { algorithm: 'none', keyid: 'k1', issuer: 'ish-chat' });
    expect(verifyAccessToken(none, [oldKey])).toBeNull();
    const hs512 = jwt.sign(claims, oldKey.secret, { algorithm: 'HS512', keyid: 'k1', issuer: 'ish-chat' });
    expect(verifyAccessToken(hs512, [oldKey])).toBeNull();
    const forged = jwt.sign(claims, 'c'.repeat(32), { algorithm: 'HS256', keyid: 'k1', issuer: 'ish-chat' });
    expect(verifyAccessToken(forged, [oldKey])).toBeNull();
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, oldKey.secret, { algorithm: 'HS256', keyid: 'k1', issuer: 'ish-chat' });
    expect(verifyAccessToken(expired, [oldKey])).toBeNull();
  });

  it('refuses a correctly signed token without an expiry', () => {
    const endless = jwt.sign({ ...claims, iat: Math.floor(Date.now() / 1000) }, oldKey.secret, { algorithm: 'HS256', keyid: 'k1', issuer: 'ish-chat' });
    expect(jwt.decode(endless)).not.toHaveProperty('exp');
    expect(verifyAccessToken(endless, [oldKey])).toBeNull();
  });
});
