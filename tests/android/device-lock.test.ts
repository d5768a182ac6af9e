// The device lock against the test stack's real Redis: several "processes" (DeviceLock instances
// with their own Redis connections) never run work for one device at once.
import Redis from 'ioredis';
import { DeviceLock, redisLockStore } from '@ish/adb';
import { REDIS_KEYS } from '@ish/contracts';
import { REDIS_URL } from '@ish/test-support';

describe('DeviceLock on Redis', () => {
  const connections = [new Redis(REDIS_URL), new Redis(REDIS_URL), new Redis(REDIS_URL)];
  const serial = `lock-test-${Date.now().toString(36)}`;
  afterAll(() => Promise.all(connections.map((c) => c.quit())));

  it('serializes one device across processes and frees it after each holder', async () => {
    const locks = connections.map((redis) => new DeviceLock(redisLockStore(redis)));
    let running = 0;
    let max = 0;
    await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        locks[i % locks.length].withLock(serial, { ttlMs: 5000, waitMs: 10_000 }, async () => {
          running++;
          max = Math.max(max, running);
          await new Promise((resolve) => setTimeout(resolve, 10));
          running--;
        }),
      ),
    );
    expect(max).toBe(1);
    expect(await connections[0].exists(REDIS_KEYS.deviceLock(serial))).toBe(0);
  });

  it('never frees a lock another holder took after it expired', async () => {
    const store = redisLockStore(connections[0]);
    const key = REDIS_KEYS.deviceLock(`${serial}-expiry`);
    expect(await store.acquire(key, 'first', 50)).toBe(true);
    expect(await store.acquire(key, 'second', 5000)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await store.acquire(key, 'second', 5000)).toBe(true);
    expect(await store.release(key, 'first')).toBe(false);
    expect(await connections[0].get(key)).toBe('second');
    expect(await store.release(key, 'second')).toBe(true);
  });
});
