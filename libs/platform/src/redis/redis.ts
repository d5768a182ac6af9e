import { Global, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
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
 * A Lua script run by its SHA (ioredis defineCommand: EVALSHA, the body sent once after a NOSCRIPT):
 * EVAL would send and hash the whole body on every call, which hot-path scripts (budgets, TPM) pay per request.
 */
export class RedisScript<T> {
  private readonly command: string;

  constructor(name: string, readonly lua: string) {
    this.command = `ish_${name}`;
  }

  run(redis: Redis, keys: readonly string[], args: readonly (string | number)[] = []): Promise<T> {
    const client = redis as unknown as Record<string, ((...values: unknown[]) => Promise<T>) | undefined>;
    let call = client[this.command];
    if (typeof call !== 'function') {
      redis.defineCommand(this.command, { lua: this.lua });
      call = client[this.command]!;
    }
    return call.call(redis, keys.length, ...keys, ...args);
  }
}

@Global()
@Module({ providers: [RedisClient], exports: [RedisClient] })
export class RedisModule {}
