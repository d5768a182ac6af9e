import { ApiError } from '@ish/platform';
import { DeviceLock } from './device-lock';
import { LockStore, memoryLockStore } from './lock-store';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** runs `count` overlapping jobs through `locks` (round robin) and reports the most that ran at once */
async function maxOverlap(locks: DeviceLock[], serialOf: (i: number) => string, count: number, holdMs: number): Promise<{ max: number; order: number[] }> {
  let running = 0;
  let max = 0;
  const order: number[] = [];
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      locks[i % locks.length].withLock(serialOf(i), { ttlMs: 5000, waitMs: 5000 }, async () => {
        running++;
        max = Math.max(max, running);
        order.push(i);
        await sleep(holdMs);
        running--;
      }),
    ),
  );
  return { max, order };
}

describe('DeviceLock', () => {
  it('runs the work of one device one at a time, in arrival order within a process', async () => {
    const lock = new DeviceLock(memoryLockStore());
    const { max, order } = await maxOverlap([lock], () => 'dev-a', 10, 5);
    expect(max).toBe(1);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('excludes across processes sharing the store', async () => {
    const store = memoryLockStore();
    const processes = [new DeviceLock(store), new DeviceLock(store), new DeviceLock(store)];
    const { max } = await maxOverlap(processes, () => 'dev-a', 12, 5);
    expect(max).toBe(1);
  });

  it('lets different devices run in parallel', async () => {
    const lock = new DeviceLock(memoryLockStore());
    const { max } = await maxOverlap([lock], (i) => `dev-${i % 3}`, 9, 20);
    expect(max).toBe(3);
  });

  it('returns the work result and releases after a failure', async () => {
    const lock = new DeviceLock(memoryLockStore());
    await expect(lock.withLock('d', { ttlMs: 1000, waitMs: 100 }, async () => 42)).resolves.toBe(42);
    await expect(lock.withLock('d', { ttlMs: 1000, waitMs: 100 }, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.withLock('d', { ttlMs: 1000, waitMs: 100 }, async () => 'free again')).resolves.toBe('free again');
  });

  it('gives up with 409 device_busy after the wait bound, locally and across processes', async () => {
    const store = memoryLockStore();
    const a = new DeviceLock(store);
    const b = new DeviceLock(store);
    const holding = a.withLock('d', { ttlMs: 5000, waitMs: 100 }, () => sleep(150));
    const local = a.withLock('d', { ttlMs: 5000, waitMs: 30 }, async () => 'never').catch((e: unknown) => e);
    const remote = b.withLock('d', { ttlMs: 5000, waitMs: 30 }, async () => 'never').catch((e: unknown) => e);
    for (const attempt of [local, remote]) {
      const error = await attempt;
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).getStatus()).toBe(409);
      expect((error as ApiError).code).toBe('device_busy');
    }
    await holding;
    // a caller that gave up does not block the ones behind it
    await expect(a.withLock('d', { ttlMs: 5000, waitMs: 100 }, async () => 'next')).resolves.toBe('next');
  });

  it('takes over a lock whose holder died once its TTL passed, and the late holder cannot free it', async () => {
    let now = 1_000;
    const store = memoryLockStore(() => now);
    expect(await store.acquire('adb:lock:d', 'dead-holder', 100)).toBe(true);
    const lock = new DeviceLock(store);
    const waiting = lock.withLock('d', { ttlMs: 1000, waitMs: 2000 }, async () => 'taken over');
    await sleep(20);
    now += 150;
    await expect(waiting).resolves.toBe('taken over');
    expect(await store.acquire('adb:lock:d', 'x', 100)).toBe(true);
    expect(await store.release('adb:lock:d', 'dead-holder')).toBe(false);
  });

  it('refuses to run when the store is unreachable (503, nothing runs)', async () => {
    const broken: LockStore = { acquire: () => Promise.reject(new Error('ECONNREFUSED')), release: () => Promise.resolve(false) };
    const work = jest.fn(async () => 'ran');
    const error = await new DeviceLock(broken).withLock('d', { ttlMs: 1000, waitMs: 100 }, work).catch((e: unknown) => e);
    expect((error as ApiError).getStatus()).toBe(503);
    expect((error as ApiError).code).toBe('lock_unavailable');
    expect(work).not.toHaveBeenCalled();
  });
});
