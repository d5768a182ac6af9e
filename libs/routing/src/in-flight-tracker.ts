import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { RedisClient } from '@ish/platform';
import { REDIS_KEYS } from '@ish/contracts';

/**
 * The in-flight contract between relay/worker and the instance-manager: every process that calls
 * providers keeps one Redis hash `ish:inflight:<processId>` (field = instance id, value = calls in
 * flight now), rewritten every second with a 10 s TTL. The sum over all such hashes is what is in
 * flight per instance; a process that dies stops counting when its hash expires.
 */

export interface InFlightTrackerOptions {
  /** default `<hostname>:<pid>:<random>` */
  processId?: string;
  /** how often the counts are written; default 1000 ms */
  flushIntervalMs?: number;
  /** TTL of the hash, renewed by every flush; default 10 s */
  keyTtlSeconds?: number;
  keyPrefix?: string;
}

export const IN_FLIGHT_TRACKER_OPTIONS = Symbol('IN_FLIGHT_TRACKER_OPTIONS');

/** The Redis commands the tracker uses. */
export type InFlightRedis = Pick<Redis, 'multi' | 'del'>;

/**
 * Counts the calls this process has in flight per instance and publishes them to Redis. `acquire`
 * and `release` are synchronous and never touch Redis; a timer writes the whole hash at once (MULTI:
 * DEL, HSET, EXPIRE), so readers never see half an update. Releasing an instance that was deleted
 * meanwhile is fine: the counts are keyed by id only.
 */
@Injectable()
export class InFlightTracker implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly processId: string;
  readonly key: string;
  private readonly flushIntervalMs: number;
  private readonly keyTtlSeconds: number;
  private readonly counts = new Map<string, number>();
  private readonly logger = new Logger('InFlightTracker');
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private failing = false;

  constructor(
    @Inject(RedisClient) private readonly redis: InFlightRedis,
    @Optional() @Inject(IN_FLIGHT_TRACKER_OPTIONS) options: InFlightTrackerOptions = {},
  ) {
    this.processId = options.processId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.key = `${options.keyPrefix ?? REDIS_KEYS.inFlightPrefix}${this.processId}`;
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.keyTtlSeconds = options.keyTtlSeconds ?? 10;
    if (!(this.flushIntervalMs > 0) || !(this.keyTtlSeconds * 1000 > this.flushIntervalMs)) {
      throw new RangeError(`need 0 < flushIntervalMs < keyTtlSeconds * 1000, got ${this.flushIntervalMs} ms and ${this.keyTtlSeconds} s`);
    }
  }

  /** One call to `instanceId` began; the returned function ends it (calling it again does nothing). */
  acquire(instanceId: string): () => void {
    this.counts.set(instanceId, (this.counts.get(instanceId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(instanceId);
    };
  }

  /** One call to `instanceId` ended. Prefer the function `acquire` returned: it cannot release twice. */
  release(instanceId: string): void {
    const count = (this.counts.get(instanceId) ?? 0) - 1;
    if (count > 0) this.counts.set(instanceId, count);
    else this.counts.delete(instanceId);
  }

  /** Calls this process has in flight to `instanceId` now. */
  count(instanceId: string): number {
    return this.counts.get(instanceId) ?? 0;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.flushIntervalMs);
    this.timer.unref();
    void this.flush();
  }

  /** Stops flushing and removes this process's hash (its calls are over or no longer ours to count). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flushing;
    await this.redis.del(this.key).catch(() => undefined);
  }

  /** Writes the counts now; a failure is logged once per outage and retried by the next flush. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const fields = Object.entries(this.snapshot()).flatMap(([id, count]) => [id, String(count)]);
    const transaction = this.redis.multi().del(this.key);
    if (fields.length > 0) transaction.hset(this.key, ...fields).expire(this.key, this.keyTtlSeconds);
    this.flushing = transaction
      .exec()
      .then((replies) => {
        const failed = replies?.find(([error]) => error);
        if (failed) throw failed[0];
        if (this.failing) this.logger.log('in-flight counts written again');
        this.failing = false;
      })
      .catch((error: unknown) => {
        if (!this.failing) this.logger.warn(`in-flight counts not written: ${(error as Error).message}`);
        this.failing = true;
      })
      .finally(() => (this.flushing = undefined));
    return this.flushing;
  }
}
