import { Global, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import Redis, { ReplyError } from 'ioredis';
import { PlatformConfig } from '../config/platform.config';

/** how soon a client that found Redis loading its data asks again whether it is done */
export const LOADING_RECHECK_MS = 100;

/**
 * The shared Redis client of a process (rate limits, caches, circuit state). It reconnects on its own;
 * commands fail fast while Redis is away instead of piling up.
 */
@Injectable()
export class RedisClient extends Redis implements OnApplicationShutdown {
  constructor(config: PlatformConfig) {
    super(config.REDIS_URL, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      // a reconnect during the AOF load would otherwise wait Redis' whole-second loading ETA (≥ 1 s) while every command fails fast
      maxLoadingRetryTime: LOADING_RECHECK_MS,
      // the commands of concurrent requests (rate limit, budget, TPM, caches) leave in one write per event-loop turn
      enableAutoPipelining: true,
    });
    const logger = new Logger('Redis');
    this.on('error', (error: Error) => logger.warn(`redis: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.quit().catch(() => this.disconnect());
  }
}

/**
 * A Lua script run by its SHA (EVALSHA; EVAL once when Redis answers NOSCRIPT, which caches it again):
 * EVAL would send and hash the whole body on every call, which hot-path scripts (budgets) pay per request.
 * Not ioredis' defineCommand: a command defined while an auto-pipeline is open crashes the process
 * (ioredis issue 1931, "results[i] is not iterable").
 */
export class RedisScript<T> {
  readonly sha: string;

  constructor(readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[] = []): Promise<T> {
    try {
      return (await redis.evalsha(this.sha, keys.length, ...keys, ...args)) as T;
    } catch (error) {
      if (!(error instanceof ReplyError) || !(error as Error).message.startsWith('NOSCRIPT')) throw error;
      return (await redis.eval(this.lua, keys.length, ...keys, ...args)) as T;
    }
  }
}

@Global()
@Module({ providers: [RedisClient], exports: [RedisClient] })
export class RedisModule {}
