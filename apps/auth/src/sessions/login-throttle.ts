import { Injectable } from '@nestjs/common';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import { consumePoint, redisLimiter, tooManyRequests } from '@ish/auth-guard';
import { RedisClient } from '@ish/platform';
import { AuthConfig } from '../config';
import { REDIS_KEYS } from '@ish/contracts';

/**
 * Sign-in attempts, counted in Redis before the password is checked, so parallel guesses get no more
 * tries than serial ones. One address gets LOGIN_MAX_FAILURES tries per account and window; the
 * account as a whole LOGIN_ACCOUNT_MAX_FAILURES from all addresses: a guesser at one address is
 * stopped long before the owner, elsewhere, is locked out. A successful sign-in clears both.
 */
@Injectable()
export class LoginThrottle {
  private readonly perAddress: RateLimiterRedis;
  private readonly perAccount: RateLimiterRedis;

  constructor(config: AuthConfig, redis: RedisClient) {
    const window = config.LOGIN_FAILURE_WINDOW_SECONDS;
    this.perAddress = redisLimiter(redis, REDIS_KEYS.loginAttemptsByAddressPrefix, config.LOGIN_MAX_FAILURES, window);
    this.perAccount = redisLimiter(redis, REDIS_KEYS.loginAttemptsByAccountPrefix, config.LOGIN_ACCOUNT_MAX_FAILURES, window);
  }

  /** Counts one attempt at `email` from `address`; 429 (and no password check) past either budget. */
  async begin(email: string, address: string): Promise<void> {
    const account = email.toLowerCase();
    const fromAddress = await consumePoint(this.perAddress, pairKey(account, address));
    if (fromAddress) throw tooMany(fromAddress.msBeforeNext, 'from this address');
    const overall = await consumePoint(this.perAccount, account);
    if (overall) throw tooMany(overall.msBeforeNext, '');
  }

  /** an attempt that ended without a verdict gives its try back */
  async refund(email: string, address: string): Promise<void> {
    const account = email.toLowerCase();
    await Promise.all([this.perAddress.reward(pairKey(account, address), 1), this.perAccount.reward(account, 1)]);
  }

  /** the right password: this address and the account start afresh */
  async succeeded(email: string, address: string): Promise<void> {
    const account = email.toLowerCase();
    await Promise.all([this.perAddress.delete(pairKey(account, address)), this.perAccount.delete(account)]);
  }
}

function pairKey(account: string, address: string): string {
  return `${address}/${account}`;
}

function tooMany(msBeforeNext: number, where: string) {
  return tooManyRequests('too_many_login_attempts', (s) => `Too many failed sign-ins for this email${where ? ` ${where}` : ''}; retry in ${s} s`, msBeforeNext);
}
