import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { REDIS_KEYS } from '@ish/contracts';
import { InFlightRedis, InFlightTracker } from './in-flight-tracker';

/** Hashes with TTLs, and MULTI that applies its commands together on EXEC. */
class FakeRedis {
  readonly hashes = new Map<string, Map<string, string>>();
  readonly ttls = new Map<string, number>();
  execs = 0;
  failNext?: Error;

  multi() {
    const queued: (() => void)[] = [];
    const transaction = {
      del: (key: string) => {
        queued.push(() => {
          this.hashes.delete(key);
          this.ttls.delete(key);
        });
        return transaction;
      },
      hset: (key: string, ...fields: string[]) => {
        queued.push(() => {
          const hash = this.hashes.get(key) ?? new Map<string, string>();
          for (let i = 0; i < fields.length; i += 2) hash.set(fields[i], fields[i + 1]);
          this.hashes.set(key, hash);
        });
        return transaction;
      },
      expire: (key: string, seconds: number) => {
        queued.push(() => this.ttls.set(key, seconds));
        return transaction;
      },
      exec: async (): Promise<[Error | null, unknown][]> => {
        this.execs++;
        const failure = this.failNext;
        this.failNext = undefined;
        if (failure) throw failure;
        queued.forEach((apply) => apply());
        return queued.map(() => [null, 'OK']);
      },
    };
    return transaction;
  }

  async del(key: string): Promise<number> {
    const existed = this.hashes.delete(key);
    this.ttls.delete(key);
    return existed ? 1 : 0;
  }

  hash(key: string): Record<string, string> | undefined {
    const hash = this.hashes.get(key);
    return hash && Object.fromEntries(hash);
  }
}

function tracker(redis: FakeRedis, options: ConstructorParameters<typeof InFlightTracker>[1] = {}): InFlightTracker {
  return new InFlightTracker(redis as unknown as InFlightRedis, { processId: 'relay-1', ...options });
}

describe('InFlightTracker', () => {
  afterEach(() => jest.useRealTimers());

  it('counts calls per instance, and a release function releases once', () => {
    const counts = tracker(new FakeRedis());
    const first = counts.acquire('a');
    counts.acquire('a');
    counts.acquire('b');
    expect(counts.snapshot()).toEqual({ a: 2, b: 1 });
    first();
    first();
    expect(counts.count('a')).toBe(1);
    counts.release('b');
    counts.release('b');
    expect(counts.snapshot()).toEqual({ a: 1 });
    expect(counts.count('b')).toBe(0);
  });

  it('writes its counts to ish:inflight:<processId> with a TTL, replacing what was there', async () => {
    const redis = new FakeRedis();
    const counts = tracker(redis, { keyTtlSeconds: 10 });
    expect(counts.key).toBe(REDIS_KEYS.inFlight('relay-1'));
    counts.acquire('a');
    const b = counts.acquire('b');
    await counts.flush();
    expect(redis.hash('ish:inflight:relay-1')).toEqual({ a: '1', b: '1' });
    expect(redis.ttls.get('ish:inflight:relay-1')).toBe(10);

    b();
    await counts.flush();
    expect(redis.hash('ish:inflight:relay-1')).toEqual({ a: '1' });
  });

  it('removes the hash when nothing is in flight', async () => {
    const redis = new FakeRedis();
    const counts = tracker(redis);
    const release = counts.acquire('a');
    await counts.flush();
    release();
    await counts.flush();
    expect(redis.hashes.has('ish:inflight:relay-1')).toBe(false);
  });

  it('keeps counting when Redis fails, and writes the counts once it is back', async () => {
    const redis = new FakeRedis();
    const counts = tracker(redis);
    counts.acquire('a');
    redis.failNext = new Error('connection lost');
    await expect(counts.flush()).resolves.toBeUndefined();
    expect(redis.hash('ish:inflight:relay-1')).toBeUndefined();
    counts.acquire('a');
    await counts.flush();
    expect(redis.hash('ish:inflight:relay-1')).toEqual({ a: '2' });
  });

  it('flushes every flushIntervalMs once started, and deletes its hash when stopped', async () => {
    jest.useFakeTimers();
    const redis = new FakeRedis();
    const counts = tracker(redis, { flushIntervalMs: 1000 });
    counts.start();
    await Promise.resolve();
    const afterStart = redis.execs;
    counts.acquire('a');
    await jest.advanceTimersByTimeAsync(3000);
    expect(redis.execs).toBe(afterStart + 3);
    expect(redis.hash('ish:inflight:relay-1')).toEqual({ a: '1' });
    await counts.stop();
    expect(redis.hashes.has('ish:inflight:relay-1')).toBe(false);
    await jest.advanceTimersByTimeAsync(3000);
    expect(redis.execs).toBe(afterStart + 3);
  });

  it('makes up a process id unique to this process', () => {
    const [a, b] = [new InFlightTracker(new FakeRedis() as unknown as InFlightRedis), new InFlightTracker(new FakeRedis() as unknown as InFlightRedis)];
    expect(a.processId).toContain(`:${process.pid}:`);
    expect(a.key).not.toBe(b.key);
  });

  it('refuses a TTL that a flush could not renew in time', () => {
    expect(() => tracker(new FakeRedis(), { flushIntervalMs: 5000, keyTtlSeconds: 5 })).toThrow(RangeError);
  });
});

// Needs a real Redis: runs only when REDIS_URL is set (the integration suite sets it).
const REDIS_URL = process.env.REDIS_URL;
(REDIS_URL ? describe : describe.skip)('InFlightTracker on Redis', () => {
  it('leaves a hash that HGETALL reads as the counts, expiring on its own', async () => {
    const redis = new Redis(REDIS_URL as string, { maxRetriesPerRequest: 1 });
    const counts = new InFlightTracker(redis, { processId: `test-${randomUUID()}`, keyTtlSeconds: 5 });
    try {
      counts.acquire('instance-a');
      counts.acquire('instance-a');
      await counts.flush();
      expect(await redis.hgetall(counts.key)).toEqual({ 'instance-a': '2' });
      const ttl = await redis.ttl(counts.key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(5);
    } finally {
      await counts.stop();
      expect(await redis.exists(counts.key)).toBe(0);
      await redis.quit();
    }
  });
});
