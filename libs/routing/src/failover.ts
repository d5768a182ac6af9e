import { classifyUpstreamError, UpstreamFailure } from '@ish/providers';
import type { RouteAttempt } from './select-instance';
import { FailoverAbortedError, UpstreamClientError, UpstreamUnavailableError } from './upstream-errors';

/** How one try ended. `client_error` says nothing bad about the instance; `aborted` says nothing at all. */
export type AttemptOutcome = { kind: 'success' } | UpstreamFailure;

export interface FailoverOptions {
  /** tries that reach `call`, at most (RELAY_MAX_ATTEMPTS) */
  maxAttempts: number;
  /**
   * After every try: feed circuit breaker and passive health from it, and on `rate_limited` mark the
   * instance rate-limited for `outcome.retryAfterMs`. `client_error` proves the instance alive;
   * `aborted` judges nothing (release a half_open trial taken by `admit`).
   */
  onAttemptResult?: (attempt: RouteAttempt, outcome: AttemptOutcome, latencyMs: number, error?: unknown) => void;
  /** the client's signal: once aborted, failover stops at once with FailoverAbortedError */
  signal?: AbortSignal;
  /**
   * Asked before each try (the circuit breaker's tryAcquire): false skips the attempt without
   * counting it against maxAttempts. One that throws admits: a broken breaker store must not stop traffic.
   */
  admit?: (attempt: RouteAttempt) => boolean | Promise<boolean>;
  /** pause between a failed try and the next one; default 0 (the next try goes to another instance) */
  retryDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface FailoverResult<T> {
  result: T;
  /** the attempt that answered */
  attempt: RouteAttempt;
  /** tries made, this one included */
  attempts: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Walks the plan until an instance answers: the one failover loop of relay and worker. A 5xx, a
 * timeout or a connection error moves on to the next attempt; a 429 moves on too, and the plan's
 * later attempts on that instance are skipped; any other 4xx ends it with UpstreamClientError.
 * When the plan or maxAttempts runs out: UpstreamUnavailableError. `call` gets a signal of its own
 * that fires when the caller's does; an abort stops the loop at once, without waiting for `call`.
 */
export async function runWithFailover<T>(
  plan: readonly RouteAttempt[],
  call: (attempt: RouteAttempt, signal: AbortSignal) => Promise<T>,
  options: FailoverOptions,
): Promise<FailoverResult<T>> {
  const { signal, onAttemptResult } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const failures: UpstreamFailure[] = [];
  const rateLimited = new Set<string>();
  let attempts = 0;

  for (const attempt of plan) {
    if (signal?.aborted) throw new FailoverAbortedError();
    if (attempts >= options.maxAttempts) break;
    if (rateLimited.has(attempt.instance.id)) continue;
    if (options.admit && !(await untilAborted(admitted(options.admit, attempt), signal))) continue;
    if (attempts > 0 && options.retryDelayMs) await untilAborted(sleep(options.retryDelayMs), signal);

    attempts++;
    const started = now();
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', forwardAbort, { once: true });
    try {
      const result = await untilAborted(call(attempt, controller.signal), signal);
      onAttemptResult?.(attempt, { kind: 'success' }, now() - started);
      return { result, attempt, attempts };
    } catch (error) {
      const latencyMs = now() - started;
      if (signal?.aborted) {
        onAttemptResult?.(attempt, { kind: 'aborted', message: 'cancelled by the caller' }, latencyMs, error);
        throw new FailoverAbortedError();
      }
      const classified = classifyUpstreamError(error);
      // the call gave up on its own (its own deadline): for us the instance did not answer in time
      const failure: UpstreamFailure = classified.kind === 'aborted' ? { ...classified, kind: 'retryable', timedOut: true } : classified;
      onAttemptResult?.(attempt, failure, latencyMs, error);
      if (failure.kind === 'client_error' && failure.status !== undefined) throw new UpstreamClientError({ ...failure, status: failure.status });
      if (failure.kind === 'rate_limited') rateLimited.add(attempt.instance.id);
      failures.push(failure);
    } finally {
      signal?.removeEventListener('abort', forwardAbort);
    }
  }
  if (signal?.aborted) throw new FailoverAbortedError();
  throw failures.length > 0 ? UpstreamUnavailableError.after(failures) : UpstreamUnavailableError.noInstance();
}

async function admitted(admit: NonNullable<FailoverOptions['admit']>, attempt: RouteAttempt): Promise<boolean> {
  try {
    return await admit(attempt);
  } catch {
    return true;
  }
}

/** Settles with `work`, or rejects with FailoverAbortedError as soon as `signal` fires. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(new FailoverAbortedError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(new FailoverAbortedError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
