import { Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiError, RedisClient } from '@ish/platform';
import { AuthConfig } from '../config';

/** Failed logins per email, counted in Redis; past the limit that email is answered 429 for a while. */
@Injectable()
export class LoginThrottle {
  private readonly failures: RateLimiterRedis;

  constructor(config: AuthConfig, redis: RedisClient) {
    const options = { points: config.LOGIN_MAX_FAILURES, duration: config.LOGIN_FAILURE_WINDOW_SECONDS };
    this.failures = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'ish:login-failures',
      ...options,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: 'ish:login-failures:mem', ...options }),
    });
  }

  async assertAllowed(email: string): Promise<void> {
    const state = await this.failures.get(email.toLowerCase());
    if (state && state.consumedPoints >= this.failures.points) throw tooMany(state.msBeforeNext);
  }

  async recordFailure(email: string): Promise<void> {
    await this.failures.consume(email.toLowerCase()).catch((rejection: unknown) => {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
    });
  }

  async reset(email: string): Promise<void> {
    await this.failures.delete(email.toLowerCase());
  }
}

function tooMany(msBeforeNext: number): ApiError {
  const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new ApiError(429, 'rate_limit_error', 'too_many_login_attempts', `Too many failed logins for this email; retry in ${retryAfter} s`, undefined, {
    'Retry-After': String(retryAfter),
  });
}
