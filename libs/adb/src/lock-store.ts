import type Redis from 'ioredis';

/** Where device locks live: shared by every bridge and worker process (Redis), or in memory for tests. */
export interface LockStore {
  /** sets `key` to `token` for `ttlMs` unless the key exists; true when it was set */
  acquire(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** deletes `key` only while it still holds `token` (an expired lock taken over by another holder stays) */
  release(key: string, token: string): Promise<boolean>;
}

const COMPARE_AND_DELETE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** SET NX PX to take, compare-and-delete (one Lua call, atomic) to give back. */
export function redisLockStore(redis: Redis): LockStore {
  return {
    acquire: async (key, token, ttlMs) => (await redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK',
    release: async (key, token) => Number(await redis.eval(COMPARE_AND_DELETE, 1, key, token)) === 1,
  };
}

/** The same semantics in one process (unit tests, the benchmark without Redis). */
export function memoryLockStore(now: () => number = Date.now): LockStore {
  const held = new Map<string, { token: string; expiresAt: number }>();
  return {
    acquire: async (key, token, ttlMs) => {
      const current = held.get(key);
      if (current && current.expiresAt > now()) return false;
      held.set(key, { token, expiresAt: now() + ttlMs });
      return true;
    },
    release: async (key, token) => {
      const current = held.get(key);
      if (!current || current.token !== token || current.expiresAt <= now()) return false;
      held.delete(key);
      return true;
    },
  };
}
