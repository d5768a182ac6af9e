import { targetAddressProblem } from './target-address';

describe('webhook target addresses', () => {
  it.each(['169.254.169.254', '169.254.0.1', '100.100.100.200', 'fe80::1', '[fe80::1]', 'fd00:ec2::254', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe'])(
    'always refuses the link-local / metadata address %s',
    (address) => {
      expect(targetAddressProblem(address, true)).toMatch(/link-local or cloud-metadata/);
      expect(targetAddressProblem(address, false)).toMatch(/link-local or cloud-metadata/);
    },
  );

  it.each(['0.0.0.0', '224.0.0.1', '255.255.255.255', '::', 'ff02::1'])('always refuses the non-unicast address %s', (address) => {
    expect(targetAddressProblem(address, true)).toMatch(/not a unicast address/);
  });

  it.each(['127.0.0.1', '10.1.2.3', '172.20.0.5', '192.168.1.10', '100.64.0.1', '::1', 'fd12:3456::1', '::ffff:10.0.0.1'])(
    'allows the private address %s only when private networks are allowed',
    (address) => {
      expect(targetAddressProblem(address, true)).toBeNull();
      expect(targetAddressProblem(address, false)).toMatch(/private or loopback/);
    },
  );

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111'])('allows the public address %s', (address) => {
    expect(targetAddressProblem(address, false)).toBeNull();
  });

  it('names what is not an address', () => {
    expect(targetAddressProblem('example.com', true)).toMatch(/not an IP address/);
  });
});
