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
});
