/**
 * Anthropic's error types (https://platform.claude.com/docs/en/api/errors), the HTTP status each comes
 * with and our error code for it. `overloaded_error` (529) is a 5xx: failover retries it elsewhere.
 */
export const ANTHROPIC_ERROR_TYPES = {
  invalid_request_error: { status: 400, code: 'invalid_request' },
  authentication_error: { status: 401, code: 'invalid_credential' },
  billing_error: { status: 402, code: 'payment_required' },
  permission_error: { status: 403, code: 'forbidden' },
  not_found_error: { status: 404, code: 'not_found' },
  conflict_error: { status: 409, code: 'conflict' },
  request_too_large: { status: 413, code: 'payload_too_large' },
  rate_limit_error: { status: 429, code: 'rate_limited' },
  api_error: { status: 500, code: 'internal_error' },
  timeout_error: { status: 504, code: 'gateway_timeout' },
  overloaded_error: { status: 529, code: 'overloaded' },
} as const satisfies Record<string, { status: number; code: string }>;

export type AnthropicErrorType = keyof typeof ANTHROPIC_ERROR_TYPES;

/** Anthropic's error body: `{"type":"error","error":{"type","message","details"?},"request_id"}`. */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string; details?: { error_code?: string } | null };
  request_id?: string | null;
}

function isKnownType(type: string): type is AnthropicErrorType {
  return Object.prototype.hasOwnProperty.call(ANTHROPIC_ERROR_TYPES, type);
}

/**
 * An error Anthropic reported, as an HTTP answer or as an `error` event inside a stream. It carries a
 * numeric `status`, so classifyUpstreamError sorts it like any HTTP error (529 and 500 retryable, 429
 * rate-limited, other 4xx the client's).
 */
export class AnthropicApiError extends Error {
  override readonly name = 'AnthropicApiError';
  constructor(
    readonly status: number,
    /** Anthropic's error object (`type`, `message`), for classifyUpstreamError's message */
    readonly error: { type: string; message: string },
    /** our error code */
    readonly code: string,
    readonly requestId?: string,
  ) {
    super(error.message);
  }
}

/** Status and our code for an Anthropic error type; an unknown type falls back on the HTTP status. */
export function anthropicErrorStatus(type: string, httpStatus?: number): { status: number; code: string } {
  if (isKnownType(type)) {
    const known = ANTHROPIC_ERROR_TYPES[type];
    return { status: httpStatus ?? known.status, code: known.code };
  }
  const status = httpStatus ?? 500;
  return { status, code: status >= 500 ? 'internal_error' : 'invalid_request' };
}

/**
 * The error for an Anthropic answer: an HTTP error body (`httpStatus` set) or the `data` of a stream's
 * `error` event (status from the error type). A body that is not Anthropic's shape keeps the status.
 */
export function anthropicError(body: unknown, httpStatus?: number): AnthropicApiError {
  const parsed = typeof body === 'object' && body !== null ? (body as Partial<AnthropicErrorBody>) : {};
  const error = typeof parsed.error === 'object' && parsed.error !== null ? parsed.error : undefined;
  const type = typeof error?.type === 'string' ? error.type : 'api_error';
  const message =
    typeof error?.message === 'string' && error.message ? error.message : `Anthropic answered ${httpStatus ?? 'an error'}${typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : ''}`;
  const { status, code } = anthropicErrorStatus(type, httpStatus);
  const detailCode = typeof error?.details?.error_code === 'string' ? error.details.error_code : undefined;
  const requestId = typeof parsed.request_id === 'string' ? parsed.request_id : undefined;
  return new AnthropicApiError(status, { type, message }, detailCode ?? code, requestId);
}
