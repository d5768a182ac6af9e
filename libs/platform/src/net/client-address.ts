import { isIP } from 'node:net';

/** The address classes Express (proxy-addr) knows by name. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * `TRUSTED_PROXIES`: comma-separated `loopback` / `linklocal` / `uniquelocal`, addresses and CIDR
 * ranges. Only a peer in this list may tell us the client's address (X-Forwarded-For).
 */
export function isTrustedProxyList(value: string): boolean {
  const entries = value.split(',').map((entry) => entry.trim());
  return entries.length > 0 && entries.every(isTrustedProxyEntry);
}

function isTrustedProxyEntry(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** One spelling per client: `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) counts as `10.0.0.1`. */
export function normalizeAddress(address: string | undefined): string {
  if (!address) return 'unknown';
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * What a per-address budget is counted under: an IPv4 address, or the /64 of an IPv6 one (one
 * subscriber commonly holds a whole /64, so counting single IPv6 addresses would count nothing).
 */
export function addressBucket(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head, tail = ''] = address.toLowerCase().split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

