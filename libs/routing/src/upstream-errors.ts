import type { UpstreamFailure } from '@ish/providers';
import { ApiError, errorCodeForStatus, errorTypeForStatus } from '@ish/platform';

/** The upstream refused the request itself (a 4xx other than 408/429): returned to the client as is. */
export class UpstreamClientError extends ApiError {
  override readonly name = 'UpstreamClientError';
  constructor(readonly failure: UpstreamFailure & { status: number }) {
    super(failure.status, errorTypeForStatus(failure.status), failure.code ?? errorCodeForStatus(failure.status), failure.message);
    if (failure.param) this.withParam(failure.param);
  }
}

/**
 * No instance answered: the plan was empty (503 no_healthy_instance), every try was rate-limited
 * (503 upstream_rate_limited, with Retry-After when known), the last try timed out (504
 * upstream_timeout) or failed otherwise (502 upstream_failed). Always of type upstream_error.
 */
export class UpstreamUnavailableError extends ApiError {
  override readonly name = 'UpstreamUnavailableError';
  constructor(
    status: 502 | 503 | 504,
    code: string,
    message: string,
    readonly attempts: number,
    readonly lastFailure?: UpstreamFailure,
    headers: Record<string, string> = {},
  ) {
    super(status, 'upstream_error', code, message, undefined, headers);
  }

  static noInstance(message = 'No healthy instance is available for this request'): UpstreamUnavailableError {
    return new UpstreamUnavailableError(503, 'no_healthy_instance', message, 0);
  }

  /** From what went wrong: `failures` in the order they happened, at least one. */
  static after(failures: readonly UpstreamFailure[]): UpstreamUnavailableError {
    const last = failures[failures.length - 1];
    if (!last) return UpstreamUnavailableError.noInstance();
    const detail = `${failures.length} attempt(s) failed; last: ${last.message}`;
    if (failures.every((failure) => failure.kind === 'rate_limited')) {
      const waits = failures.map((failure) => failure.retryAfterMs).filter((ms): ms is number => ms !== undefined);
      const headers = waits.length > 0 ? { 'Retry-After': String(Math.max(1, Math.ceil(Math.min(...waits) / 1000))) } : undefined;
      return new UpstreamUnavailableError(503, 'upstream_rate_limited', `Every instance is rate-limited: ${detail}`, failures.length, last, headers);
    }
    if (last.timedOut) return new UpstreamUnavailableError(504, 'upstream_timeout', `Upstream timed out: ${detail}`, failures.length, last);
    return new UpstreamUnavailableError(502, 'upstream_failed', `Upstream failed: ${detail}`, failures.length, last);
  }
}

/** The caller's signal fired (the client disconnected, the job was cancelled): no verdict on any instance. */
export class FailoverAbortedError extends ApiError {
  override readonly name = 'FailoverAbortedError';
  constructor() {
    super(499, 'invalid_request_error', 'client_closed_request', 'The request was cancelled before an upstream answered');
  }
}
