import { BlockList, isIP } from 'node:net';
import { isMetadataOrLinkLocal } from '@ish/contracts';

/** Never a webhook target: nobody is listening there on purpose. */
const UNROUTABLE = new BlockList();
UNROUTABLE.addSubnet('0.0.0.0', 8, 'ipv4');
UNROUTABLE.addSubnet('224.0.0.0', 4, 'ipv4');
UNROUTABLE.addSubnet('240.0.0.0', 4, 'ipv4');
UNROUTABLE.addAddress('::', 'ipv6');
UNROUTABLE.addSubnet('ff00::', 8, 'ipv6');

/** Loopback and private ranges: a target only where WEBHOOK_ALLOW_PRIVATE_NETWORKS says so. */
const PRIVATE = new BlockList();
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4');
PRIVATE.addSubnet('198.18.0.0', 15, 'ipv4');
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

/** `::ffff:1.2.3.4` (or its hex spelling) as the IPv4 address it carries; anything else unchanged. */
function unmapped(address: string): string {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return address;
}

/**
 * Why a webhook may not be sent to this IP address, or null when it may. Link-local and cloud-metadata
 * addresses are always refused; loopback and private ranges only when `allowPrivateNetworks` is false.
 */
export function targetAddressProblem(rawAddress: string, allowPrivateNetworks: boolean): string | null {
  const address = unmapped(rawAddress.replace(/^\[|\]$/g, '').toLowerCase());
  const family = isIP(address);
  if (family === 0) return `${rawAddress} is not an IP address`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (isMetadataOrLinkLocal(address)) return `${rawAddress} is a link-local or cloud-metadata address`;
  if (UNROUTABLE.check(address, type)) return `${rawAddress} is not a unicast address`;
  if (!allowPrivateNetworks && PRIVATE.check(address, type)) return `${rawAddress} is a private or loopback address (WEBHOOK_ALLOW_PRIVATE_NETWORKS is off)`;
  return null;
}
