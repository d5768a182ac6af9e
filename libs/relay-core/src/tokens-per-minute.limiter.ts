import { Injectable, Logger } from '@nestjs/common';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { CompletionUsage } from 'openai/resources/completions';
import { MAX_TOKENS_PER_MINUTE, REDIS_KEYS } from '@ish/contracts';
import { ApiError, RedisClient } from '@ish/platform';
import type { CallerContext } from './chat-executor';
import { admitsCall, CountText, estimateTextTokens, trueUpDelta } from './token-estimate';

export const TOKENS_PER_MINUTE_CODE = 'tokens_per_minute';

/** 429 `rate_limit_error` code `tokens_per_minute` with Retry-After until the key's minute ends. */
export class TokensPerMinuteReached extends ApiError {
  constructor(
    readonly limit: number,
    readonly retryAfterMs: number,
  ) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super(429, 'rate_limit_error', TOKENS_PER_MINUTE_CODE, `This key's limit of ${limit} tokens per minute is reached; retry in ${seconds} s`, undefined, {
      'Retry-After': String(seconds),
      'x-ratelimit-limit-tokens': String(limit),
      'x-ratelimit-remaining-tokens': '0',
    });
  }
}

interface Reservation {
  key: string;
  tokens: number;
  /** when the minute it was counted in ends (epoch ms) */
  minuteEndsAt: number;
}

/** Outcomes of a call that answered (its tokens were spent, reported or not); the others are attempts that failed before. */
const ANSWERED = new Set(['success', 'client_closed', 'stream_error']);

/**
 * API.md "Governance" `tokensPerMinute`: prompt + completion tokens per API key per minute, one
 * fixed-window counter in Redis shared by every relay and worker. Before the upstream call the
 * request's estimate is added (refused when the minute was already at or over the limit); after it
 * the provider's usage replaces the estimate.
 */
@Injectable()
export class TokensPerMinuteLimiter {
  private readonly logger = new Logger('TokensPerMinute');
  private readonly counter: RateLimiterRedis;
  /** the tokens each call in flight reserved, until its usage is known (each call has its own CallerContext) */
  private readonly reserved = new WeakMap<CallerContext, Reservation>();

  constructor(redis: RedisClient) {
    // no insurance limiter: with Redis away the call fails (503), it never runs unlimited
    this.counter = new RateLimiterRedis({ storeClient: redis, keyPrefix: REDIS_KEYS.tokensPerMinutePrefix, points: MAX_TOKENS_PER_MINUTE, duration: 60, useRedisPackage: false });
  }

  /** Before the call: 429 when the key's minute is at or over its limit, else its estimate is counted now. */
  async reserve(caller: CallerContext, estimate: (count: CountText) => number): Promise<void> {
    const limit = caller.tokensPerMinute;
    if (!limit || !caller.apiKeyId) return;
    const key = caller.apiKeyId;
    const tokens = estimate(estimateTextTokens);
    const minute = await this.counter.penalty(key, tokens);
    if (!admitsCall(minute.consumedPoints, tokens, limit)) {
      await this.counter.reward(key, tokens);
      throw new TokensPerMinuteReached(limit, minute.msBeforeNext);
    }
    this.reserved.set(caller, { key, tokens, minuteEndsAt: Date.now() + minute.msBeforeNext });
  }

  /**
   * After an attempt, beside the request log: the provider's usage replaces the reservation; an answer
   * without usage (a stream cut off) keeps it; an attempt that failed before answering leaves it to the next.
   */
  settle(caller: CallerContext, outcome: string, usage: Pick<CompletionUsage, 'prompt_tokens' | 'completion_tokens'> | undefined): void {
    const reservation = this.reserved.get(caller);
    if (!reservation || (!usage && !ANSWERED.has(outcome))) return;
    this.reserved.delete(caller);
    if (usage) this.add(reservation.key, trueUpDelta(reservation.tokens, usage, Date.now() >= reservation.minuteEndsAt));
  }

  /** The call failed on every attempt: nothing was used, its reservation is given back. */
  release(caller: CallerContext): void {
    const reservation = this.reserved.get(caller);
    if (!reservation) return;
    this.reserved.delete(caller);
    if (Date.now() < reservation.minuteEndsAt) this.add(reservation.key, -reservation.tokens);
  }

  private add(key: string, tokens: number): void {
    if (tokens === 0) return;
    const change = tokens > 0 ? this.counter.penalty(key, tokens) : this.counter.reward(key, -tokens);
    void change.catch((error: Error) => this.logger.warn(`tokens of key ${key} not counted: ${error.message}`));
  }
}
