import { DEFAULT_RETRY_POLICY, nominalRetrySchedule, retryDelayMs } from './retry-schedule';

describe('webhook retry schedule', () => {
  const policy = { baseMs: 1000, maxMs: 60_000, maxAttempts: 6, factor: 4 };

  it('grows exponentially up to the cap', () => {
    expect(nominalRetrySchedule(policy)).toEqual([1000, 4000, 16_000, 60_000, 60_000]);
  });

  it('jitters within the upper half of each step', () => {
    expect(retryDelayMs(1, policy, () => 0)).toBe(500);
    expect(retryDelayMs(1, policy, () => 1)).toBe(1000);
    expect(retryDelayMs(2, policy, () => 0.5)).toBe(3000);
    expect(retryDelayMs(5, policy, () => 0.999)).toBeLessThanOrEqual(60_000);
    for (let i = 0; i < 200; i++) {
      const delay = retryDelayMs(3, policy)!;
      expect(delay).toBeGreaterThanOrEqual(8000);
      expect(delay).toBeLessThanOrEqual(16_000);
    }
  });

  it('spreads receivers that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(2, policy)));
    expect(delays.size).toBeGreaterThan(10);
  });

  it('stops after maxAttempts attempts', () => {
    expect(retryDelayMs(5, policy)).not.toBeNull();
    expect(retryDelayMs(6, policy)).toBeNull();
    expect(retryDelayMs(7, policy)).toBeNull();
    expect(retryDelayMs(0, policy)).toBeNull();
  });

  it('defaults to at least 5 attempts over hours, as Stripe and Svix retry', () => {
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBeGreaterThanOrEqual(5);
    const total = nominalRetrySchedule(DEFAULT_RETRY_POLICY).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(3 * 3_600_000);
  });
});
