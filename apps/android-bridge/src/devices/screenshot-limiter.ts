import { Injectable } from '@nestjs/common';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import { consumePoint, redisLimiter, tooManyRequests } from '@ish/auth-guard';
import { RedisClient } from '@ish/platform';
import { AndroidBridgeConfig } from '../config';
import { REDIS_KEYS } from '@ish/contracts';

/**
 * Screenshots per device per minute, counted in Redis across bridge replicas: each one holds the
 * device lock while `screencap` runs, so a loop of them would starve real commands (409).
 */
@Injectable()
export class ScreenshotLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(
    private readonly config: AndroidBridgeConfig,
    redis: RedisClient,
  ) {
    this.limiter = redisLimiter(redis, REDIS_KEYS.screenshotRateLimitPrefix, config.ANDROID_SCREENSHOTS_PER_MINUTE, 60);
  }

  async consume(serial: string): Promise<void> {
    const rejection = await consumePoint(this.limiter, serial);
    if (!rejection) return;
    const limit = this.config.ANDROID_SCREENSHOTS_PER_MINUTE;
    throw tooManyRequests('screenshot_rate_limited', (s) => `At most ${limit} screenshots per minute of one device; retry in ${s} s`, rejection.msBeforeNext);
  }
}
