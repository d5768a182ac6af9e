import { Injectable, Logger } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Principal } from '@ish/contracts';
import { ApiError, BaseConfig, RedisClient } from '@ish/platform';

export interface RateLimitState {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/**
 * Requests per minute per credential, counted in Redis so every replica of every service shares
 * the budget (rate-limiter-flexible; keys expire with their window, as Redis runs noeviction). When
 * Redis is unreachable an in-process limiter with the same budget takes over: degraded, never open.
 */
@Injectable()
export class CredentialRateLimiter {
  private readonly logger = new Logger('RateLimiter');
  private readonly limiters = new Map<number, RateLimiterRedis>();

  constructor(
    private readonly config: BaseConfig,
    private readonly redis: RedisClient,
  ) {}

  /** Counts one request; throws 429 (with Retry-After) past the limit. null: unlimited credential. */
  async consume(principal: Principal): Promise<RateLimitState | null> {
    const limit = principal.rateLimitPerMinute ?? this.config.RATE_LIMIT_PER_MINUTE;
    if (limit === 0) return null;
    try {
      const result = await this.limiter(limit).consume(principal.credentialId, 1);
      return { limit, remaining: result.remainingPoints, resetSeconds: Math.ceil(result.msBeforeNext / 1000) };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new ApiError(429, 'rate_limit_error', 'rate_limited', `Rate limit of ${limit} requests per minute exceeded; retry in ${retryAfter} s`, undefined, {
        'Retry-After': String(retryAfter),
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(retryAfter),
      });
    }
  }

  private limiter(points: number): RateLimiterRedis {
    let limiter = this.limiters.get(points);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `ish:rl:${points}`,
        points,
        duration: 60,
        useRedisPackage: false,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: `ish:rl:mem:${points}`, points, duration: 60 }),
      });
      this.limiters.set(points, limiter);
      this.logger.debug(`limiter for ${points}/min created`);
    }
    return limiter;
  }
}
