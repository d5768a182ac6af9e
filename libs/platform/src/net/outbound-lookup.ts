import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { isIP, LookupFunction } from 'node:net';
import { normaliseHost, outboundAddressProblem } from '@ish/contracts';

/** Answers `hostname`'s addresses (every one of them: each is checked). */
export type HostResolver = (hostname: string) => Promise<LookupAddress[]>;

export interface OutboundPolicy {
  /** loopback and private ranges are targets; metadata, link-local and unroutable addresses never are */
  allowPrivateNetworks: boolean;
  /** the setting that allows private ranges, named when an address is refused for being private */
  setting: string;
  /** a stand-in for the system resolver (tests) */
  resolve?: HostResolver;
}

/** A host whose address an outbound call may not reach. */
export class OutboundAddressRefusedError extends Error {
  override readonly name = 'OutboundAddressRefusedError';
  readonly code = 'ERR_OUTBOUND_ADDRESS_REFUSED';
}

export const systemResolver: HostResolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/**
 * Why a literal IP host (or `localhost`, RFC 6761) may not be reached, or null when it may; other
 * names are checked when a connection resolves them.
 */
export function literalHostProblem(host: string, policy: OutboundPolicy): string | null {
  const address = normaliseHost(host);
  if (address === 'localhost' || address.endsWith('.localhost')) {
    return policy.allowPrivateNetworks ? null : `${address} is a private or loopback address (${policy.setting} is off)`;
  }
  return isIP(address) ? outboundAddressProblem(address, policy.allowPrivateNetworks, policy.setting) : null;
}

/**
 * Every address of `hostname`, each checked: one refused address refuses the host, so a DNS answer
 * that mixes a public and a private address cannot be used to reach the private one. A literal IP is
 * checked as it is. Throws OutboundAddressRefusedError, or the resolver's error.
 */
export async function resolveOutbound(hostname: string, policy: OutboundPolicy): Promise<LookupAddress[]> {
  const host = normaliseHost(hostname);
  const family = isIP(host);
  const addresses = family ? [{ address: host, family }] : await (policy.resolve ?? systemResolver)(host);
  if (addresses.length === 0) throw new Error('no addresses');
  for (const { address } of addresses) {
    const problem = outboundAddressProblem(address, policy.allowPrivateNetworks, policy.setting);
    if (problem) throw new OutboundAddressRefusedError(`refused: ${host} resolves to ${problem}`);
  }
  return addresses;
}

/**
 * A `lookup` for node:net / an http.Agent: the connection goes only to addresses that were checked
 * when it was opened, so a rebinding DNS answer cannot slip a refused address in between check and
 * connect, and a pooled keep-alive connection costs no check per request.
 */
export function outboundLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolveOutbound(hostname, policy).then(
      (resolved) => {
        const wanted = options.family === 4 || options.family === 6 ? resolved.filter((a) => a.family === options.family) : resolved;
        if (wanted.length === 0) return callback(Object.assign(new Error(`cannot resolve ${hostname}: no IPv${options.family} address`), { code: 'ENOTFOUND' }), '', 0);
        if (options.all) callback(null, wanted);
        else callback(null, wanted[0].address, wanted[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}
