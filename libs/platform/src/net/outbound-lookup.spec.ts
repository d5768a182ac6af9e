import type { LookupAddress } from 'node:dns';
import { literalHostProblem, OutboundAddressRefusedError, outboundLookup, OutboundPolicy, resolveOutbound } from './outbound-lookup';

const policy = (resolved: LookupAddress[], allowPrivateNetworks = true): OutboundPolicy => ({ allowPrivateNetworks, setting: 'X_ALLOW_PRIVATE', resolve: async () => resolved });

function lookupOnce(lookup: ReturnType<typeof outboundLookup>, host: string, options: { all?: boolean; family?: number }) {
  return new Promise<{ error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number }>((done) =>
    lookup(host, options as never, (error, address, family) => done({ error, address, family })),
  );
}

describe('outbound lookups', () => {
  it('answers every checked address of a name, without brackets, case or a trailing dot', async () => {
    const resolve = jest.fn(async () => [{ address: '93.184.216.34', family: 4 }]);
    expect(await resolveOutbound('Example.COM.', { allowPrivateNetworks: false, setting: 'X', resolve })).toEqual([{ address: '93.184.216.34', family: 4 }]);
    expect(resolve).toHaveBeenCalledWith('example.com');
    expect(await resolveOutbound('[2606:4700::1111]', { allowPrivateNetworks: false, setting: 'X', resolve })).toEqual([{ address: '2606:4700::1111', family: 6 }]);
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it('refuses a name when any of its addresses is refused', async () => {
    await expect(resolveOutbound('mixed.example.com', policy([{ address: '93.184.216.34', family: 4 }, { address: '169.254.169.254', family: 4 }]))).rejects.toThrow(OutboundAddressRefusedError);
    await expect(resolveOutbound('lan.example.com', policy([{ address: '10.0.0.7', family: 4 }], false))).rejects.toThrow('refused: lan.example.com resolves to 10.0.0.7 is a private or loopback address (X_ALLOW_PRIVATE is off)');
    await expect(resolveOutbound('empty.example.com', policy([]))).rejects.toThrow('no addresses');
  });

  it('serves node:net lookups with one address or all, of the family asked for', async () => {
    const lookup = outboundLookup(policy([{ address: '2606:4700::1111', family: 6 }, { address: '93.184.216.34', family: 4 }]));
    expect(await lookupOnce(lookup, 'api.example.com', { all: true })).toEqual({ error: null, address: [{ address: '2606:4700::1111', family: 6 }, { address: '93.184.216.34', family: 4 }], family: undefined });
    expect(await lookupOnce(lookup, 'api.example.com', { family: 4 })).toEqual({ error: null, address: '93.184.216.34', family: 4 });
    const refused = await lookupOnce(outboundLookup(policy([{ address: 'fd00:ec2::254', family: 6 }])), 'api.example.com', {});
    expect(refused.error).toBeInstanceOf(OutboundAddressRefusedError);
  });

  it('checks literal hosts and localhost at once, and leaves other names to the connection', () => {
    const off = { allowPrivateNetworks: false, setting: 'X_ALLOW_PRIVATE' };
    expect(literalHostProblem('[::1]', off)).toMatch(/private or loopback/);
    expect(literalHostProblem('localhost.', off)).toMatch(/private or loopback/);
    expect(literalHostProblem('api.localhost', off)).toMatch(/private or loopback/);
    expect(literalHostProblem('localhost', { ...off, allowPrivateNetworks: true })).toBeNull();
    expect(literalHostProblem('169.254.169.254', { ...off, allowPrivateNetworks: true })).toMatch(/link-local/);
    expect(literalHostProblem('hooks.example.com', off)).toBeNull();
  });
});
