/** When a failed webhook attempt is tried again. */
export interface RetryPolicy {
  /** the delay after the first failed attempt, before jitter */
  baseMs: number;
  /** no delay grows past this */
  maxMs: number;
  /** attempts of one series (a redelivery starts a new series) */
  maxAttempts: number;
  /** each delay is this many times the previous one */
  factor: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 5000, maxMs: 6 * 3_600_000, maxAttempts: 8, factor: 4 };

/**
 * The delay before the attempt after `failedAttempts` failed ones, or null when the series is used up.
 * Exponential (base · factor^(n-1), capped) with "equal jitter": a random point in the upper half, so
 * receivers that failed together are not retried together, and no retry comes sooner than half its step.
 */
export function retryDelayMs(failedAttempts: number, policy: RetryPolicy, random: () => number = Math.random): number | null {
  if (failedAttempts < 1 || failedAttempts >= policy.maxAttempts) return null;
  const step = Math.min(policy.maxMs, policy.baseMs * policy.factor ** (failedAttempts - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** The delays before each retry without jitter (the upper bounds): documentation and tests. */
export function nominalRetrySchedule(policy: RetryPolicy): number[] {
  return Array.from({ length: policy.maxAttempts - 1 }, (_, i) => Math.min(policy.maxMs, policy.baseMs * policy.factor ** i));
}
