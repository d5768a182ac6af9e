import { Injectable, Logger } from '@nestjs/common';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Principal } from '@ish/contracts';
import { RedisClient } from '@ish/platform';
import { AuthGuardConfig } from './auth-guard.config';
import { redisLimiter, tooManyRequests } from './redis-limiter';
import { REDIS_KEYS } from '@ish/contracts';

export interface RateLimitState {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/** Requests per minute per credential, counted in Redis so every replica of every service shares the budget. */
@Injectable()
export class CredentialRateLimiter {
  private readonly logger = new Logger('RateLimiter');
  private readonly limiters = new Map<number, RateLimiterRedis>();

  constructor(
    private readonly config: AuthGuardConfig,
    private readonly redis: RedisClient,
  ) {
    // a limiter defines its Lua command on the shared client when made; the first one made during traffic could do
    // that while an auto-pipeline is open, which crashes the process (ioredis issue 1931): one is made at start
    this.limiter(config.RATE_LIMIT_PER_MINUTE || 1);
  }

  /** Counts one request; throws 429 (with Retry-After) past the limit. null: unlimited credential. */
  async consume(principal: Principal): Promise<RateLimitState | null> {
    const limit = principal.rateLimitPerMinute ?? this.config.RATE_LIMIT_PER_MINUTE;
    if (limit === 0) return null;
    const limiter = this.limiter(limit);
    try {
      const result = await limiter.consume(principal.credentialId, 1);
      return { limit, remaining: result.remainingPoints, resetSeconds: Math.ceil(result.msBeforeNext / 1000) };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = String(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      throw tooManyRequests('rate_limited', (s) => `Rate limit of ${limit} requests per minute exceeded; retry in ${s} s`, rejection.msBeforeNext, {
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': retryAfter,
      });
    }
  }

  private limiter(points: number): RateLimiterRedis {
    let limiter = this.limiters.get(points);
    if (!limiter) {
      limiter = redisLimiter(this.redis, REDIS_KEYS.credentialRateLimitPrefix(points), points, 60);
      this.limiters.set(points, limiter);
      this.logger.debug(`limiter for ${points}/min created`);
    }
    return limiter;
  }
}
