import { addressBucket, isTrustedProxyList, normalizeAddress } from './client-address';

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

describe('addressBucket', () => {
  it('counts IPv4 addresses one by one', () => {
    expect(addressBucket('203.0.113.9')).toBe('203.0.113.9');
  });

  it('counts an IPv6 address under its /64, however it is written', () => {
    expect(addressBucket('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:0db8:0001:0002::1')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
    expect(addressBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});

