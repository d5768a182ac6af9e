import { RedisClient } from '@ish/platform';
import { InstanceManagerConfig } from '../config';
import { LeaderLock } from './leader-lock';

/** One key with a holder and an expiry, and the two scripts the lock runs. */
class FakeRedis {
  holder?: string;
  expiresAt = 0;
  down = false;

  async eval(script: string, _keys: number, _key: string, id: string, ttl?: string): Promise<number> {
    if (this.down) throw new Error('connection lost');
    if (this.holder && Date.now() >= this.expiresAt) this.holder = undefined;
    if (script.includes('PEXPIRE')) {
      if (this.holder && this.holder !== id) return 0;
      this.holder = id;
      this.expiresAt = Date.now() + Number(ttl);
      return 1;
    }
    if (this.holder !== id) return 0;
    this.holder = undefined;
    return 1;
  }
}

function lock(redis: FakeRedis, ttlMs = 3000): LeaderLock {
  return new LeaderLock(redis as unknown as RedisClient, Object.assign(new InstanceManagerConfig(), { LEADER_LOCK_TTL_MS: ttlMs }));
}

describe('LeaderLock', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('lets one replica lead and the other wait', async () => {
    const redis = new FakeRedis();
    const [a, b] = [lock(redis), lock(redis)];
    expect(await a.tick()).toBe(true);
    expect(await b.tick()).toBe(false);
    expect(a.isLeader()).toBe(true);
    expect(b.isLeader()).toBe(false);
  });

  it('hands over when the leader releases the lock', async () => {
    const redis = new FakeRedis();
    const [a, b] = [lock(redis), lock(redis)];
    await a.tick();
    await a.release();
    expect(a.isLeader()).toBe(false);
    expect(await b.tick()).toBe(true);
  });

  it('hands over when the leader stops renewing, and the old leader stops acting before the new one starts', async () => {
    const redis = new FakeRedis();
    const [a, b] = [lock(redis, 3000), lock(redis, 3000)];
    await a.tick();
    jest.setSystemTime(Date.now() + 2000);
    expect(a.isLeader()).toBe(false);
    expect(await b.tick()).toBe(false);
    jest.setSystemTime(Date.now() + 1000);
    expect(await b.tick()).toBe(true);
  });

  it('keeps leading through a Redis blip shorter than its renewal margin', async () => {
    const redis = new FakeRedis();
    const a = lock(redis, 3000);
    await a.tick();
    redis.down = true;
    jest.setSystemTime(Date.now() + 1000);
    expect(await a.tick()).toBe(true);
    jest.setSystemTime(Date.now() + 1000);
    expect(a.isLeader()).toBe(false);
  });

  it('renews the lock on its own every third of the TTL once started', async () => {
    const redis = new FakeRedis();
    const a = lock(redis, 3000);
    a.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(a.isLeader()).toBe(true);
    expect(await lock(redis, 3000).tick()).toBe(false);
    await a.beforeApplicationShutdown();
    expect(redis.holder).toBeUndefined();
  });
});
