import { Injectable } from '@nestjs/common';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import { RedisClient } from '@ish/platform';
import { AuthGuardConfig } from './auth-guard.config';
import { consumePoint, exhausted, redisLimiter, tooManyRequests } from './redis-limiter';
import { REDIS_KEYS } from '@ish/contracts';

/**
 * Requests per minute per client address that carry no credential or a bad one, and the public
 * routes that cost real work (AUTH_RATE_LIMIT_PER_MINUTE). Shared in Redis by every service, so
 * random keys, password guesses and health fan-outs from one address draw on one budget.
 */
@Injectable()
export class AddressRateLimiter {
  private readonly limiter?: RateLimiterRedis;

  constructor(config: AuthGuardConfig, redis: RedisClient) {
    const points = config.AUTH_RATE_LIMIT_PER_MINUTE;
    if (points > 0) this.limiter = redisLimiter(redis, REDIS_KEYS.addressRateLimitPrefix(points), points, 60);
  }

  /** counts one request of this address; 429 past the limit */
  async consume(address: string): Promise<void> {
    if (!this.limiter) return;
    const rejection = await consumePoint(this.limiter, address);
    if (rejection) throw this.refusal(rejection.msBeforeNext);
  }

  /** 429 without counting when the address has used its budget: it gets no more key lookups this window */
  async assertNotExhausted(address: string): Promise<void> {
    if (!this.limiter) return;
    const state = await exhausted(this.limiter, address);
    if (state) throw this.refusal(state.msBeforeNext);
  }

  private refusal(msBeforeNext: number) {
    return tooManyRequests('too_many_unauthenticated_requests', (s) => `Too many unauthenticated or failed requests from this address; retry in ${s} s`, msBeforeNext);
  }
}
