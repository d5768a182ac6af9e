import { isIP } from 'node:net';

/**
 * Where our outbound calls (provider instances, webhooks) may connect. One classification for every
 * caller: DTO validation checks literal hosts with it, and the connection-time lookups of the provider
 * client and the webhook sender check every resolved address with it.
 */
export type AddressClass =
  /** cloud metadata and link-local: never a target */
  | 'metadata'
  /** unspecified, multicast, broadcast, reserved, special-purpose: nobody listens there on purpose */
  | 'unroutable'
  /** loopback and private ranges: a target only where the caller's setting allows it */
  | 'private'
  | 'public';

const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata', 'metadata.azure.com', 'instance-data', 'instance-data.ec2.internal']);

/** `[::1]` → `::1`, `Example.COM.` → `example.com`: one spelling per host, so checks and comparisons cannot be dodged. */
export function normaliseHost(host: string): string {
  return host
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.+$/, '');
}

type Range = readonly [base: number, prefixLength: number];

const ipv4 = (dotted: string, prefixLength: number): Range => [ipv4Number(dotted), prefixLength];

const IPV4_METADATA: Range[] = [ipv4('169.254.0.0', 16), ipv4('100.100.100.200', 32)];
const IPV4_UNROUTABLE: Range[] = [ipv4('0.0.0.0', 8), ipv4('192.0.0.0', 24), ipv4('224.0.0.0', 4), ipv4('240.0.0.0', 4)];
const IPV4_PRIVATE: Range[] = [
  ipv4('127.0.0.0', 8),
  ipv4('10.0.0.0', 8),
  ipv4('172.16.0.0', 12),
  ipv4('192.168.0.0', 16),
  ipv4('100.64.0.0', 10),
  ipv4('198.18.0.0', 15),
];

/** The class of an IP address (IPv4, IPv6, bracketed or not), or null when `address` is not one. */
export function classifyAddress(address: string): AddressClass | null {
  const host = normaliseHost(address);
  const family = isIP(host);
  if (family === 4) return classifyIpv4(ipv4Number(host));
  if (family === 6) return classifyIpv6(ipv6Groups(host));
  return null;
}

function classifyIpv4(value: number): AddressClass {
  if (inAny(value, IPV4_METADATA)) return 'metadata';
  if (inAny(value, IPV4_UNROUTABLE)) return 'unroutable';
  if (inAny(value, IPV4_PRIVATE)) return 'private';
  return 'public';
}

function classifyIpv6(groups: number[]): AddressClass {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups;
  const embedded = ((g6 << 16) | g7) >>> 0;
  const zeroUpTo = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (zeroUpTo(7) && g7 === 0) return 'unroutable';
  if (zeroUpTo(7) && g7 === 1) return 'private';
  if ((g0 & 0xffc0) === 0xfe80) return 'metadata';
  // AWS's IPv6 instance metadata endpoint
  if (g0 === 0xfd00 && g1 === 0x0ec2 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0 && g6 === 0 && g7 === 0x254) return 'metadata';
  if ((g0 & 0xff00) === 0xff00) return 'unroutable';
  if ((g0 & 0xfe00) === 0xfc00 || (g0 & 0xffc0) === 0xfec0) return 'private';
  // IPv4-mapped ::ffff:a.b.c.d reaches that IPv4 address itself
  if (zeroUpTo(5) && g5 === 0xffff) return classifyIpv4(embedded);
  // the transition forms (IPv4-compatible ::a.b.c.d, SIIT ::ffff:0:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16)
  // reach an IPv4 address through a translator: judged by that address, and never to a non-public one
  const viaTranslator =
    zeroUpTo(6) ||
    (zeroUpTo(4) && g4 === 0xffff && g5 === 0) ||
    (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)
      ? embedded
      : g0 === 0x2002
        ? ((g1 << 16) | g2) >>> 0
        : null;
  if (viaTranslator !== null) {
    const inner = classifyIpv4(viaTranslator);
    return inner === 'public' ? 'public' : inner === 'metadata' ? 'metadata' : 'unroutable';
  }
  // local-use NAT64 (64:ff9b:1::/48, any embedding) and Teredo (2001::/32, obfuscated IPv4): the IPv4 behind them cannot be checked
  if ((g0 === 0x64 && g1 === 0xff9b && g2 === 1) || (g0 === 0x2001 && g1 === 0)) return 'unroutable';
  return 'public';
}

/**
 * Why an outbound call may not connect to this IP address, or null when it may. Metadata, link-local,
 * unroutable and transition addresses that carry a non-public IPv4 are always refused; loopback and
 * private ranges when `allowPrivateNetworks` is false (`setting` names the switch in the message).
 */
export function outboundAddressProblem(rawAddress: string, allowPrivateNetworks: boolean, setting: string): string | null {
  switch (classifyAddress(rawAddress)) {
    case null:
      return `${rawAddress} is not an IP address`;
    case 'metadata':
      return `${rawAddress} is a link-local or cloud-metadata address`;
    case 'unroutable':
      return `${rawAddress} is not a unicast address we connect to`;
    case 'private':
      return allowPrivateNetworks ? null : `${rawAddress} is a private or loopback address (${setting} is off)`;
    case 'public':
      return null;
  }
}

/** true for loopback and private addresses (and anything that is not public), whose answers we never read back to a client */
export function isNonPublicAddress(address: string): boolean {
  return classifyAddress(address) !== 'public';
}

/** true for link-local and cloud-metadata hosts (names or addresses), which outbound calls must never reach */
export function isMetadataOrLinkLocal(hostname: string): boolean {
  const host = normaliseHost(hostname);
  return METADATA_HOSTS.has(host) || classifyAddress(host) === 'metadata';
}

function inAny(value: number, ranges: Range[]): boolean {
  return ranges.some(([base, prefixLength]) => prefixLength === 0 || value >>> (32 - prefixLength) === base >>> (32 - prefixLength));
}

function ipv4Number(dotted: string): number {
  return dotted.split('.').reduce((value, octet) => ((value << 8) | Number(octet)) >>> 0, 0);
}

/** the eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted IPv4 split in two) */
function ipv6Groups(address: string): number[] {
  let text = address.replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const value = ipv4Number(dotted[1]);
    text = `${text.slice(0, dotted.index)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  return tail === undefined ? front : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}
