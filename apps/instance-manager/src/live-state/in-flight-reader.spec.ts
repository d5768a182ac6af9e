import { RedisClient } from '@ish/platform';
import { InFlightReader } from './in-flight-reader';

/** SCAN over a few keys in pages of two, and a pipeline of HGETALLs. */
class FakeRedis {
  constructor(readonly hashes: Record<string, Record<string, string>>) {}

  async scan(cursor: string, _match: 'MATCH', pattern: string): Promise<[string, string[]]> {
    const prefix = pattern.replace(/\*$/, '');
    const keys = Object.keys(this.hashes).filter((key) => key.startsWith(prefix));
    const start = Number(cursor);
    const next = start + 2 >= keys.length ? '0' : String(start + 2);
    return [next, keys.slice(start, start + 2)];
  }

  pipeline() {
    const reads: string[] = [];
    const pipeline = {
      hgetall: (key: string) => {
        reads.push(key);
        return pipeline;
      },
      exec: async () => reads.map((key): [Error | null, unknown] => (key.endsWith('broken') ? [new Error('WRONGTYPE'), null] : [null, this.hashes[key] ?? {}])),
    };
    return pipeline;
  }
}

describe('InFlightReader', () => {
  it('sums the in-flight counts of every relay and worker process per instance', async () => {
    const redis = new FakeRedis({
      'ish:inflight:relay-1': { a: '2', b: '1' },
      'ish:inflight:relay-2': { a: '3' },
      'ish:inflight:worker-1': { b: '4', c: '0' },
      'ish:inflight:worker-2': { c: '-1', d: 'x' },
      'ish:inflight:broken': {},
      'ish:circuit:a': { a: '100' },
    });
    const totals = await new InFlightReader(redis as unknown as RedisClient).totals();
    expect(Object.fromEntries(totals)).toEqual({ a: 5, b: 5 });
  });

  it('is empty when no process has anything in flight', async () => {
    expect((await new InFlightReader(new FakeRedis({}) as unknown as RedisClient).totals()).size).toBe(0);
  });
});
