import type { Principal } from '@ish/contracts';
import { CredentialCache } from './credential-cache';

const principal: Principal = { kind: 'api_key', userId: 'u1', email: 'a@b.co', role: 'user', scopes: ['chat'], credentialId: 'k1', rateLimitPerMinute: null };

describe('CredentialCache', () => {
  it('serves a verified key until its TTL', () => {
    const cache = new CredentialCache(1000, 100);
    cache.set('h', principal, null, 0);
    expect(cache.get('h', 999)).toBe(principal);
    expect(cache.get('h', 1000)).toBeUndefined();
  });

  it('remembers unknown keys only briefly', () => {
    const cache = new CredentialCache(1000, 100);
    cache.set('bad', null, null, 0);
    expect(cache.get('bad', 50)).toBeNull();
    expect(cache.get('bad', 100)).toBeUndefined();
  });

  it('refuses a key past its own expiry even inside the TTL', () => {
    const cache = new CredentialCache(1000, 100);
    cache.set('h', principal, 500, 0);
    expect(cache.get('h', 499)).toBe(principal);
    expect(cache.get('h', 500)).toBeNull();
  });

  it('drops entries by key id or user id on revocation', () => {
    const cache = new CredentialCache();
    cache.set('h1', principal, null);
    cache.set('h2', { ...principal, credentialId: 'k2' }, null);
    cache.set('h3', { ...principal, userId: 'u2', credentialId: 'k3' }, null);
    cache.revoke('api_key', 'k1');
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.get('h2')).toBe(cache.get('h2'));
    cache.revoke('user', 'u1');
    expect(cache.get('h2')).toBeUndefined();
    expect(cache.get('h3')?.credentialId).toBe('k3');
  });

  it('a flood of unknown keys never pushes a working key out', () => {
    const cache = new CredentialCache(60_000, 2_000, 10, 5);
    cache.set('good', principal, null, 0);
    for (let i = 0; i < 1000; i++) cache.set(`bad-${i}`, null, null, 0);
    expect(cache.get('good', 1)).toBe(principal);
    expect(cache.get('bad-999', 1)).toBeNull();
    expect(cache.get('bad-0', 1)).toBeUndefined();
  });

  it('a key verified after it was unknown is served at once', () => {
    const cache = new CredentialCache();
    cache.set('h', null, null, 0);
    cache.set('h', principal, null, 10);
    expect(cache.get('h', 11)).toBe(principal);
  });
});
