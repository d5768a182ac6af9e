import { Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { RedisClient } from '@ish/platform';
import { REDIS_KEYS } from '@ish/contracts';

export type InFlightRedis = Pick<Redis, 'scan' | 'pipeline'>;

/**
 * What is in flight per instance right now, summed over every relay and worker process: the
 * `ish:inflight:<processId>` hashes InFlightTracker writes (see libs/routing). Found with SCAN,
 * never KEYS, so a large Redis is not blocked.
 */
@Injectable()
export class InFlightReader {
  constructor(private readonly redis: RedisClient) {}

  async totals(): Promise<Map<string, number>> {
    const redis = this.redis as InFlightRedis;
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${REDIS_KEYS.inFlightPrefix}*`, 'COUNT', 200);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');

    const totals = new Map<string, number>();
    if (keys.length === 0) return totals;
    const pipeline = redis.pipeline();
    for (const key of new Set(keys)) pipeline.hgetall(key);
    for (const [error, hash] of (await pipeline.exec()) ?? []) {
      if (error || !hash) continue;
      for (const [instanceId, raw] of Object.entries(hash as Record<string, string>)) {
        const count = Number(raw);
        if (Number.isInteger(count) && count > 0) totals.set(instanceId, (totals.get(instanceId) ?? 0) + count);
      }
    }
    return totals;
  }
}
