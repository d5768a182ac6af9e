import { UnrecoverableError } from 'bullmq';
import type { JobFailure } from '@ish/contracts';
import { ApiError, toErrorResponse } from '@ish/platform';

/**
 * Whether a failed attempt of a job may be tried again: `never` for work not safe to repeat (a device
 * command), `unless-client-error` for work whose 4xx (but 408 and 429, unless it says `x-should-retry: false`)
 * will not change by asking again.
 */
export type RetryPolicy = 'never' | 'unless-client-error';

/**
 * Encodes why an attempt failed as BullMQ stores it (`failedReason`): the API.md error body as JSON,
 * thrown as an UnrecoverableError when the job must not be tried again.
 */
export function encodeJobFailure(error: unknown, retry: RetryPolicy): Error {
  const { status, body } = toErrorResponse(error);
  const reason = JSON.stringify({ type: body.error.type, code: body.error.code, message: body.error.message } satisfies JobFailure);
  const clientError = error instanceof ApiError && status >= 400 && status < 500 && status !== 408 && status !== 429;
  // a 429 that says no retry helps (a spent budget) is final like any client error
  const saysNoRetry = error instanceof ApiError && error.headers['x-should-retry'] === 'false';
  return retry === 'never' || clientError || saysNoRetry ? new UnrecoverableError(reason) : new Error(reason);
}

/**
 * A failed job's reason back as an API.md error body; anything not encoded by encodeJobFailure (a crash,
 * a lock lost) becomes a generic `job_failed` carrying the text.
 */
export function decodeJobFailure(reason: string | undefined): JobFailure {
  try {
    const parsed = JSON.parse(reason ?? '') as JobFailure;
    if (parsed && typeof parsed.code === 'string') return parsed;
  } catch {
    /* not ours */
  }
  return { type: 'api_error', code: 'job_failed', message: reason || 'the job failed' };
}
