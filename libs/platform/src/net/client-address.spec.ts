import { isTrustedProxyList, normalizeAddress } from './client-address';

describe('TRUSTED_PROXIES', () => {
  it('accepts named ranges, addresses and CIDR ranges', () => {
    expect(isTrustedProxyList('loopback')).toBe(true);
    expect(isTrustedProxyList('loopback, 10.0.0.0/8, fd00::/8, 192.0.2.7')).toBe(true);
  });

  it('refuses anything else', () => {
    for (const bad of ['', 'everyone', '10.0.0.0/33', '10.0.0.300', 'fd00::/129', '10.0.0.0/8/1', 'true']) expect(isTrustedProxyList(bad)).toBe(false);
  });
});

describe('normalizeAddress', () => {
  it('counts an IPv4-mapped IPv6 peer as its IPv4 address', () => {
    expect(normalizeAddress('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(normalizeAddress('2001:db8::1')).toBe('2001:db8::1');
    expect(normalizeAddress(undefined)).toBe('unknown');
  });
});
