import type { RedisClient } from '@ish/platform';
import type { CallerContext } from './chat-executor';
import { TokensPerMinuteLimiter, TokensPerMinuteReached } from './tokens-per-minute.limiter';

/** The one command rate-limiter-flexible sends for a fixed window (its Lua INCRBY + TTL), in memory. */
function fakeRedis() {
  const counts = new Map<string, number>();
  let down = false;
  const client = {
    // the library opens a MULTI it uses only for forced expiries
    multi: () => ({}),
    rlflxIncr: async ([key, points]: string[]) => {
      if (down) throw new Error('Connection is closed.');
      counts.set(key, (counts.get(key) ?? 0) + Number(points));
      return [counts.get(key), 42_000];
    },
  };
  return { client: client as unknown as RedisClient, count: (key: string) => counts.get(`ish:tpm:${key}`) ?? 0, goDown: () => (down = true) };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const caller = (tokensPerMinute: number | null, apiKeyId: string | null = 'k1'): CallerContext => ({ userId: 'u1', apiKeyId, tokensPerMinute });
const estimate = (tokens: number) => () => tokens;

describe('TokensPerMinuteLimiter', () => {
  it('counts nothing for a key without a limit (absent, null or 0) or for a session', async () => {
    const redis = fakeRedis();
    const limiter = new TokensPerMinuteLimiter(redis.client);
    for (const context of [caller(null), caller(0), caller(100, null)]) {
      await limiter.reserve(context, estimate(50));
      limiter.settle(context, 'success', { prompt_tokens: 10, completion_tokens: 10 });
    }
    await flush();
    expect(redis.count('k1')).toBe(0);
  });

  it("reserves the estimate before the call and replaces it by the provider's usage after", async () => {
    const redis = fakeRedis();
    const limiter = new TokensPerMinuteLimiter(redis.client);
    const context = caller(1000);
    await limiter.reserve(context, estimate(300));
    expect(redis.count('k1')).toBe(300);
    limiter.settle(context, 'success', { prompt_tokens: 20, completion_tokens: 30 });
    await flush();
    expect(redis.count('k1')).toBe(50);
    // settled once: a second report changes nothing
    limiter.settle(context, 'success', { prompt_tokens: 20, completion_tokens: 30 });
    await flush();
    expect(redis.count('k1')).toBe(50);
  });

  it('refuses with 429 tokens_per_minute and Retry-After once the minute is at or over the limit, counting nothing more', async () => {
    const redis = fakeRedis();
    const limiter = new TokensPerMinuteLimiter(redis.client);
    const first = caller(100);
    await limiter.reserve(first, estimate(10));
    limiter.settle(first, 'success', { prompt_tokens: 60, completion_tokens: 40 });
    await flush();
    const error = await limiter.reserve(caller(100), estimate(10)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokensPerMinuteReached);
    const refusal = error as TokensPerMinuteReached;
    expect(refusal.getStatus()).toBe(429);
    expect(refusal.toBody().error).toMatchObject({ type: 'rate_limit_error', code: 'tokens_per_minute' });
    expect(refusal.headers['Retry-After']).toBe('42');
    expect(redis.count('k1')).toBe(100);
    // a raised limit admits at once
    await expect(limiter.reserve(caller(200), estimate(10))).resolves.toBeUndefined();
  });

  it('keeps the reservation across a failed attempt (failover may follow) and gives it back when the call fails', async () => {
    const redis = fakeRedis();
    const limiter = new TokensPerMinuteLimiter(redis.client);
    const context = caller(1000);
    await limiter.reserve(context, estimate(300));
    limiter.settle(context, 'upstream_error', undefined);
    await flush();
    expect(redis.count('k1')).toBe(300);
    limiter.release(context);
    await flush();
    expect(redis.count('k1')).toBe(0);
  });

  it('keeps the estimate of an answer that reported no usage (a stream cut off)', async () => {
    const redis = fakeRedis();
    const limiter = new TokensPerMinuteLimiter(redis.client);
    const context = caller(1000);
    await limiter.reserve(context, estimate(300));
    limiter.settle(context, 'client_closed', undefined);
    limiter.release(context);
    await flush();
    expect(redis.count('k1')).toBe(300);
  });

  it('fails closed: with Redis away the call is refused, never let through', async () => {
    const redis = fakeRedis();
    redis.goDown();
    const limiter = new TokensPerMinuteLimiter(redis.client);
    await expect(limiter.reserve(caller(1000), estimate(1))).rejects.toThrow('Connection is closed.');
  });
});
