import { HeaderSource, parseRetryAfterMs } from './parse-retry-after';
import { safeUpstreamText } from './safe-upstream-text';

/**
 * - `retryable`: the instance failed (5xx, 408, timeout, connection) — try the next one
 * - `rate_limited`: 429 — this instance is out for `retryAfterMs`, try the next one
 * - `client_error`: any other 4xx — the request itself is wrong; no instance will do better
 * - `aborted`: the caller cancelled the call
 */
export type UpstreamErrorKind = 'retryable' | 'rate_limited' | 'client_error' | 'aborted';

export interface UpstreamFailure {
  kind: UpstreamErrorKind;
  /** the upstream's HTTP status, when it answered */
  status?: number;
  /** the upstream's own message, cut short, without credentials, headers, URLs or addresses (safeUpstreamText) */
  message: string;
  /** the upstream's error code (`model_not_found`, `rate_limit_exceeded`, …) when it sent one */
  code?: string;
  /** the request parameter at fault (`unsupported_parameter`, or the provider's own `param`) */
  param?: string;
  /** set for 429 when the upstream said how long to wait */
  retryAfterMs?: number;
  /** the instance did not answer in time (its timeout, 408, 504) */
  timedOut?: boolean;
}

interface StatusLike {
  status: number;
  message?: unknown;
  headers?: HeaderSource;
  code?: unknown;
  error?: unknown;
  param?: unknown;
}

function hasStatus(error: unknown): error is StatusLike {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';
}

function upstreamMessage(error: StatusLike): string {
  // our own client already made its message safe, with the instance's key taken out as well
  if ((error as { name?: unknown }).name === 'ProviderHttpError' && typeof error.message === 'string' && error.message) return error.message;
  const body = error.error;
  if (typeof body === 'object' && body !== null) {
    const message = (body as { message?: unknown }).message;
    if (typeof message === 'string' && message) return message;
  }
  const message = typeof error.message === 'string' ? error.message : '';
  return message || `upstream answered ${error.status}`;
}

/** our adapters' `param`, else the provider's (OpenAI puts it in its error object) */
function paramOf(error: StatusLike): string | undefined {
  const own = error.param;
  const upstream = typeof error.error === 'object' && error.error !== null ? (error.error as { param?: unknown }).param : undefined;
  const param = typeof own === 'string' && own ? own : typeof upstream === 'string' && upstream ? upstream : undefined;
  return param?.slice(0, 200);
}

function classifyStatus(error: StatusLike, now: number): UpstreamFailure {
  const status = error.status;
  const message = safeUpstreamText(upstreamMessage(error));
  const code = typeof error.code === 'string' && error.code ? error.code.slice(0, 100) : undefined;
  const param = paramOf(error);
  const base = { status, message, ...(code ? { code } : {}), ...(param ? { param } : {}) };
  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(error.headers, now);
    return { kind: 'rate_limited', ...base, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  if (status === 408 || status === 504) return { kind: 'retryable', ...base, timedOut: true };
  if (status >= 400 && status < 500) return { kind: 'client_error', ...base };
  return { kind: 'retryable', ...base };
}

/**
 * Sorts anything a provider call threw into what failover should do about it: an HTTP answer (any
 * object with a numeric `status`, like ProviderHttpError) by its status; an AbortError is the caller
 * leaving, a TimeoutError the instance's timeout; anything else (refused, reset, a stream cut mid-way,
 * an unreadable answer) is the instance failing.
 */
export function classifyUpstreamError(error: unknown, now: number = Date.now()): UpstreamFailure {
  if (hasStatus(error)) return classifyStatus(error, now);
  if (isErrorLike(error)) {
    if (error.name === 'AbortError') return { kind: 'aborted', message: safeUpstreamText(error.message) || 'aborted' };
    if (error.name === 'TimeoutError') return { kind: 'retryable', message: safeUpstreamText(error.message) || 'timed out', timedOut: true };
    return { kind: 'retryable', message: safeUpstreamText(error.message) || error.name };
  }
  return { kind: 'retryable', message: safeUpstreamText(String(error)) };
}

// duck-typed: DOMException and errors from another realm fail `instanceof Error`
function isErrorLike(error: unknown): error is { name: string; message: string } {
  if (typeof error !== 'object' || error === null) return false;
  const { name, message } = error as { name?: unknown; message?: unknown };
  return typeof name === 'string' && typeof message === 'string';
}
