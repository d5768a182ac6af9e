import { Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { RedisClient } from '@ish/platform';
import { REDIS_KEYS } from '@ish/contracts';

// Redis runs noeviction: no key may live forever; a day is far beyond any probe interval
const KEY_TTL_SECONDS = 86_400;

export type ProbeFailuresRedis = Pick<Redis, 'multi' | 'del'>;

/** Failed probes in a row per instance, in Redis so that whichever replica probes next continues the count. */
@Injectable()
export class ProbeFailures {
  constructor(private readonly redis: RedisClient) {}

  /** Counts one more failed probe; resolves to the failures in a row, this one included. */
  async increment(instanceId: string): Promise<number> {
    const key = REDIS_KEYS.probeFailures(instanceId);
    const replies = await (this.redis as ProbeFailuresRedis).multi().incr(key).expire(key, KEY_TTL_SECONDS).exec();
    const [error, count] = replies?.[0] ?? [new Error('INCR got no reply'), 0];
    if (error) throw error;
    return Number(count);
  }

  /** A probe succeeded (or the instance is gone): the run of failures is over. */
  async reset(instanceId: string): Promise<void> {
    await (this.redis as ProbeFailuresRedis).del(REDIS_KEYS.probeFailures(instanceId));
  }
}
