import { issuedAtMs } from './jwt-keys';
import { RevocationList } from './revocations';

describe('RevocationList', () => {
  it('revokes tokens of a session issued up to the revocation', () => {
    const list = new RevocationList();
    list.apply({ kind: 'session', id: 's1', notBefore: 100 });
    expect(list.isRevoked('u1', 's1', 99)).toBe(true);
    expect(list.isRevoked('u1', 's1', 100)).toBe(true);
    expect(list.isRevoked('u1', 's1', 101)).toBe(false);
    expect(list.isRevoked('u1', 's2', 50)).toBe(false);
  });

  it('revokes every session of a user', () => {
    const list = new RevocationList();
    list.apply({ kind: 'user', id: 'u1', notBefore: 100 });
    expect(list.isRevoked('u1', 'any', 90)).toBe(true);
    expect(list.isRevoked('u2', 'any', 90)).toBe(false);
  });

  it('never moves a revocation backwards and prunes old entries', () => {
    const list = new RevocationList();
    list.apply({ kind: 'user', id: 'u1', notBefore: 200 });
    list.apply({ kind: 'user', id: 'u1', notBefore: 100 });
    expect(list.isRevoked('u1', 's', 150)).toBe(true);
    list.prune(300);
    expect(list.isRevoked('u1', 's', 150)).toBe(false);
  });

  it('compares in ms: a token issued in the same second but after the revocation stays valid', () => {
    const list = new RevocationList();
    const promotedAt = Date.parse('2026-11-24T12:00:00.400Z');
    list.apply({ kind: 'user', id: 'u1', notBefore: promotedAt });
    const issued = (iso: string) => issuedAtMs({ iat: Math.floor(Date.parse(iso) / 1000), iat_ms: Date.parse(iso) });
    expect(list.isRevoked('u1', 's', issued('2026-11-24T12:00:00.100Z'))).toBe(true);
    expect(list.isRevoked('u1', 's', issued('2026-11-24T12:00:00.700Z'))).toBe(false);
    // a token without iat_ms counts from the start of its second: refused by a revocation within it
    expect(list.isRevoked('u1', 's', issuedAtMs({ iat: Math.floor(promotedAt / 1000) }))).toBe(true);
  });

  it('drops entries older than an access token can live, as new ones arrive', () => {
    let now = 1_000_000;
    const list = new RevocationList(900_000, () => now);
    list.apply({ kind: 'session', id: 'old', notBefore: now });
    now += 1_000_000;
    list.apply({ kind: 'session', id: 'new', notBefore: now });
    expect(list.isRevoked('u', 'old', 0)).toBe(false);
    expect(list.isRevoked('u', 'new', now - 1)).toBe(true);
  });
});
