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

@Global()
@Module({ providers: [RedisClient], exports: [RedisClient] })
export class RedisModule {}
