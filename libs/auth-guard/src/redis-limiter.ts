import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiError, RedisClient } from '@ish/platform';

/**
 * A fixed-window counter in Redis shared by every replica (rate-limiter-flexible; keys expire with
 * their window, as Redis runs noeviction). When Redis is unreachable an in-process limiter with the
 * same budget takes over: degraded, never open.
 */
export function redisLimiter(redis: RedisClient, keyPrefix: string, points: number, durationSeconds: number): RateLimiterRedis {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points,
    duration: durationSeconds,
    useRedisPackage: false,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${keyPrefix}:mem`, points, duration: durationSeconds }),
  });
}

/** Counts one point; a rejection (over the limit) comes back as the RateLimiterRes to answer 429 with. */
export async function consumePoint(limiter: RateLimiterRedis, key: string): Promise<RateLimiterRes | null> {
  try {
    await limiter.consume(key, 1);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return rejection;
    throw rejection;
  }
}

/** Whether `key` has used up its window, without counting (a failed Redis read counts as not). */
export async function exhausted(limiter: RateLimiterRedis, key: string): Promise<RateLimiterRes | null> {
  try {
    const state = await limiter.get(key);
    return state && state.consumedPoints >= limiter.points ? state : null;
  } catch {
    return null;
  }
}

/** API.md's 429: `rate_limit_error` with Retry-After (whole seconds, at least 1). */
export function tooManyRequests(code: string, describe: (retryAfterSeconds: number) => string, msBeforeNext: number, headers: Record<string, string> = {}): ApiError {
  const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new ApiError(429, 'rate_limit_error', code, describe(retryAfter), undefined, { 'Retry-After': String(retryAfter), ...headers });
}
