/**
 * Anthropic's error types (https://platform.claude.com/docs/en/api/errors): the HTTP status each comes
 * with, and our error type and code (API.md "Errors"). `overloaded_error` (529) is a 5xx: failover
 * retries it on another instance, as any 5xx.
 */
export const ANTHROPIC_ERROR_TYPES = {
  invalid_request_error: { status: 400, type: 'invalid_request_error', code: 'invalid_request' },
  authentication_error: { status: 401, type: 'authentication_error', code: 'invalid_credential' },
  billing_error: { status: 402, type: 'permission_error', code: 'payment_required' },
  permission_error: { status: 403, type: 'permission_error', code: 'forbidden' },
  not_found_error: { status: 404, type: 'not_found_error', code: 'not_found' },
  conflict_error: { status: 409, type: 'conflict_error', code: 'conflict' },
  request_too_large: { status: 413, type: 'invalid_request_error', code: 'payload_too_large' },
  rate_limit_error: { status: 429, type: 'rate_limit_error', code: 'rate_limited' },
  api_error: { status: 500, type: 'upstream_error', code: 'internal_error' },
  timeout_error: { status: 504, type: 'upstream_error', code: 'gateway_timeout' },
  overloaded_error: { status: 529, type: 'upstream_error', code: 'overloaded' },
} as const satisfies Record<string, { status: number; type: string; code: string }>;

type KnownType = keyof typeof ANTHROPIC_ERROR_TYPES;

/** Anthropic's error object: `{"type":"error","error":{"type","message","details"?},"request_id"}` holds it. */
interface UpstreamErrorObject {
  type?: unknown;
  message?: unknown;
  details?: { error_code?: unknown } | null;
}

function isKnownType(type: string): type is KnownType {
  return Object.prototype.hasOwnProperty.call(ANTHROPIC_ERROR_TYPES, type);
}

/**
 * An error Anthropic reported, as an HTTP answer or as an `error` event inside a stream. It carries
 * Anthropic's numeric `status`, so classifyUpstreamError sorts it like any HTTP error (529 and 5xx
 * retryable, 429 rate-limited, other 4xx the client's).
 */
export class AnthropicApiError extends Error {
  override readonly name = 'AnthropicApiError';
  constructor(
    /** Anthropic's HTTP status (the error type's when a stream reported it) */
    readonly status: number,
    /** our error type (API.md) */
    readonly type: string,
    /** our error code; Anthropic's `details.error_code` when it sent one */
    readonly code: string,
    /** Anthropic's error object as received (`type`, `message`, …) */
    readonly error: { type: string; message: string },
    readonly requestId?: string,
  ) {
    super(error.message);
  }
}

/** Our status, type and code for an Anthropic error type; an unknown type falls back on the HTTP status. */
export function anthropicErrorStatus(anthropicType: string, httpStatus?: number): { status: number; type: string; code: string } {
  if (isKnownType(anthropicType)) {
    const known = ANTHROPIC_ERROR_TYPES[anthropicType];
    return { status: httpStatus ?? known.status, type: known.type, code: known.code };
  }
  const status = httpStatus ?? 500;
  return status >= 500 ? { status, type: 'upstream_error', code: 'internal_error' } : { status, type: 'invalid_request_error', code: 'invalid_request' };
}

/**
 * The error for an Anthropic answer: an HTTP error (`httpStatus` and its body) or the `data` of a
 * stream's `error` event (`httpStatus` undefined: the status is the error type's). A body that is not
 * Anthropic's shape keeps the HTTP status.
 */
export function mapAnthropicError(httpStatus: number | undefined, body: unknown): AnthropicApiError {
  const parsed = typeof body === 'object' && body !== null ? (body as { error?: unknown; request_id?: unknown }) : {};
  const raw: UpstreamErrorObject = typeof parsed.error === 'object' && parsed.error !== null ? (parsed.error as UpstreamErrorObject) : {};
  const anthropicType = typeof raw.type === 'string' ? raw.type : 'api_error';
  const snippet = typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : '';
  const message = typeof raw.message === 'string' && raw.message ? raw.message : `Anthropic answered ${httpStatus ?? 'an error'}${snippet}`;
  const { status, type, code } = anthropicErrorStatus(anthropicType, httpStatus);
  const detailCode = typeof raw.details?.error_code === 'string' ? raw.details.error_code : undefined;
  const requestId = typeof parsed.request_id === 'string' ? parsed.request_id : undefined;
  return new AnthropicApiError(status, type, detailCode ?? code, { type: anthropicType, message }, requestId);
}
