import { randomUUID } from 'node:crypto';
import { ApiError } from '@ish/platform';
import type { LockStore } from './lock-store';
import { REDIS_KEYS } from '@ish/contracts';

export interface LockOptions {
  /** how long the lock lives if its holder dies; longer than the work it guards */
  ttlMs: number;
  /** how long to wait for the lock before giving up with 409 device_busy */
  waitMs: number;
}

const POLL_MIN_MS = 5;
const POLL_MAX_MS = 25;

/**
 * One command at a time per device, across every process. A process first queues its own callers
 * per device (FIFO, no Redis traffic while waiting), then the head of that queue takes the shared
 * lock: `SET adb:lock:<serial> <token> NX PX <ttl>`, polled every 5–25 ms (jittered) until `waitMs`
 * has passed, released with compare-and-delete so a holder whose lock expired cannot free its
 * successor's. The TTL is the command's timeout plus a margin: commands are killed at their timeout,
 * so a lock outlives its holder only when the holder died, and then only until the TTL.
 */
export class DeviceLock {
  private readonly localTails = new Map<string, Promise<void>>();

  constructor(
    private readonly store: LockStore,
    private readonly keyPrefix: string = REDIS_KEYS.deviceLockPrefix,
  ) {}

  async withLock<T>(serial: string, options: LockOptions, work: () => Promise<T>): Promise<T> {
    const key = this.keyPrefix + serial;
    const deadline = Date.now() + options.waitMs;
    const previous = this.localTails.get(key) ?? Promise.resolve();
    let leave!: () => void;
    const mine = new Promise<void>((resolve) => (leave = resolve));
    const tail = previous.then(() => mine);
    this.localTails.set(key, tail);
    try {
      if (!(await settlesBefore(previous, deadline))) throw deviceBusy(serial, options.waitMs);
      const token = randomUUID();
      if (!(await this.acquire(key, token, options.ttlMs, deadline))) throw deviceBusy(serial, options.waitMs);
      try {
        return await work();
      } finally {
        await this.store.release(key, token).catch(() => undefined);
      }
    } finally {
      leave();
      if (this.localTails.get(key) === tail) this.localTails.delete(key);
    }
  }

  private async acquire(key: string, token: string, ttlMs: number, deadline: number): Promise<boolean> {
    for (;;) {
      let taken: boolean;
      try {
        taken = await this.store.acquire(key, token, ttlMs);
      } catch (error) {
        // no lock, no command: a device must never run two at once because Redis was away
        throw ApiError.unavailable('The device lock store (Redis) is not reachable', 'lock_unavailable', [{ message: (error as Error).message }]);
      }
      if (taken) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await sleep(Math.min(left, POLL_MIN_MS + Math.random() * (POLL_MAX_MS - POLL_MIN_MS)));
    }
  }
}

export function deviceBusy(serial: string, waitMs: number): ApiError {
  return ApiError.conflict(`Device ${serial} is busy: another command held it for more than ${waitMs} ms`, 'device_busy', [{ field: 'serial', message: 'busy' }]);
}

/** true when `promise` settles before `deadline` (epoch ms) */
async function settlesBefore(promise: Promise<void>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()))));
  try {
    return await Promise.race([promise.then(() => true as const), expired]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
