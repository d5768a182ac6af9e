import { classifyAddress, isMetadataOrLinkLocal, isNonPublicAddress, normaliseHost, outboundAddressProblem } from './outbound-address';

const SETTING = 'SOME_ALLOW_PRIVATE_NETWORKS';

describe('outbound addresses', () => {
  it.each([
    ['169.254.169.254', 'AWS/GCP/Azure metadata'],
    ['169.254.0.1', 'IPv4 link-local'],
    ['100.100.100.200', 'Alibaba metadata'],
    ['fe80::1', 'IPv6 link-local'],
    ['[fe80::1]', 'bracketed'],
    ['febf::1', 'end of fe80::/10'],
    ['fd00:ec2::254', 'AWS IPv6 metadata'],
    ['::ffff:169.254.169.254', 'IPv4-mapped, dotted'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped, hex'],
    ['64:ff9b::169.254.169.254', 'NAT64 of the metadata address'],
    ['64:ff9b::a9fe:a9fe', 'NAT64, hex'],
    ['::169.254.169.254', 'IPv4-compatible'],
    ['::ffff:0:169.254.169.254', 'SIIT'],
    ['2002:a9fe:a9fe::1', '6to4'],
  ])('always refuses %s (%s)', (address) => {
    expect(classifyAddress(address)).toBe('metadata');
    expect(outboundAddressProblem(address, true, SETTING)).toMatch(/link-local or cloud-metadata/);
    expect(outboundAddressProblem(address, false, SETTING)).toMatch(/link-local or cloud-metadata/);
  });

  it.each([
    ['0.0.0.0', 'this network'],
    ['0.1.2.3', '0.0.0.0/8'],
    ['192.0.0.1', 'IETF protocol assignments 192.0.0.0/24'],
    ['192.0.0.170', 'NAT64 discovery (192.0.0.0/24)'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'unspecified'],
    ['ff02::1', 'IPv6 multicast'],
    ['64:ff9b::7f00:1', 'NAT64 of 127.0.0.1'],
    ['64:ff9b::127.0.0.1', 'NAT64 of 127.0.0.1, dotted'],
    ['64:ff9b::a00:1', 'NAT64 of 10.0.0.1'],
    ['64:ff9b::c0a8:101', 'NAT64 of 192.168.1.1'],
    ['2002:7f00:1::', '6to4 of 127.0.0.1'],
    ['2002:c0a8:101::1', '6to4 of 192.168.1.1'],
    ['::127.0.0.1', 'IPv4-compatible 127.0.0.1'],
    ['::7f00:1', 'IPv4-compatible, hex'],
    ['::10.0.0.1', 'IPv4-compatible 10.0.0.1'],
    ['::ffff:0:127.0.0.1', 'SIIT of 127.0.0.1'],
    ['::ffff:0:7f00:1', 'SIIT, hex'],
    ['::ffff:0:a00:1', 'SIIT of 10.0.0.1'],
    ['64:ff9b:1::a00:1', 'local-use NAT64'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
  ])('always refuses %s (%s)', (address) => {
    expect(classifyAddress(address)).toBe('unroutable');
    expect(outboundAddressProblem(address, true, SETTING)).toMatch(/not a unicast address/);
    expect(outboundAddressProblem(address, false, SETTING)).toMatch(/not a unicast address/);
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', '10.0.0.0/8'],
    ['172.16.0.1', '172.16.0.0/12'],
    ['172.31.255.255', '172.16.0.0/12'],
    ['192.168.1.10', '192.168.0.0/16'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['::1', 'IPv6 loopback'],
    ['[::1]', 'bracketed'],
    ['fd12:3456::1', 'unique local'],
    ['fc00::1', 'unique local'],
    ['fec0::1', 'site-local'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'],
  ])('allows %s (%s) only when private networks are allowed', (address) => {
    expect(classifyAddress(address)).toBe('private');
    expect(outboundAddressProblem(address, true, SETTING)).toBeNull();
    expect(outboundAddressProblem(address, false, SETTING)).toBe(`${address} is a private or loopback address (${SETTING} is off)`);
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '172.15.255.255',
    '100.128.0.1',
    '192.0.1.1',
    '198.20.0.1',
    '169.253.255.255',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1',
    '::ffff:0:8.8.8.8',
    '::8.8.8.8',
  ])('allows the public address %s', (address) => {
    expect(classifyAddress(address)).toBe('public');
    expect(outboundAddressProblem(address, false, SETTING)).toBeNull();
    expect(isNonPublicAddress(address)).toBe(false);
  });

  it('names what is not an address', () => {
    expect(classifyAddress('example.com')).toBeNull();
    expect(outboundAddressProblem('example.com', true, SETTING)).toMatch(/not an IP address/);
  });

  it('normalises brackets, case and trailing dots of a host', () => {
    expect(normaliseHost('[FE80::1]')).toBe('fe80::1');
    expect(normaliseHost('API.OpenAI.com.')).toBe('api.openai.com');
    expect(normaliseHost('169.254.169.254.')).toBe('169.254.169.254');
  });

  it.each(['metadata.google.internal', 'METADATA.google.internal.', '169.254.169.254.', '[fd00:ec2::254]', 'instance-data'])('knows the metadata host %s', (host) => {
    expect(isMetadataOrLinkLocal(host)).toBe(true);
  });

  it.each(['api.openai.com', '127.0.0.1', '10.0.0.1', '[::1]'])('does not take %s for metadata', (host) => {
    expect(isMetadataOrLinkLocal(host)).toBe(false);
  });
});
