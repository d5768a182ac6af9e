import type { GeminiErrorBody } from './gemini-wire';

/** Our status, error type and code for each of Google's canonical error statuses. */
const STATUS_TABLE: Record<string, { status: number; type: string }> = {
  INVALID_ARGUMENT: { status: 400, type: 'invalid_request_error' },
  FAILED_PRECONDITION: { status: 400, type: 'invalid_request_error' },
  OUT_OF_RANGE: { status: 400, type: 'invalid_request_error' },
  UNAUTHENTICATED: { status: 401, type: 'authentication_error' },
  PERMISSION_DENIED: { status: 403, type: 'permission_error' },
  NOT_FOUND: { status: 404, type: 'not_found_error' },
  ALREADY_EXISTS: { status: 409, type: 'conflict_error' },
  ABORTED: { status: 409, type: 'conflict_error' },
  RESOURCE_EXHAUSTED: { status: 429, type: 'rate_limit_error' },
  CANCELLED: { status: 499, type: 'upstream_error' },
  INTERNAL: { status: 500, type: 'upstream_error' },
  UNKNOWN: { status: 500, type: 'upstream_error' },
  DATA_LOSS: { status: 500, type: 'upstream_error' },
  UNIMPLEMENTED: { status: 501, type: 'upstream_error' },
  UNAVAILABLE: { status: 503, type: 'upstream_error' },
  DEADLINE_EXCEEDED: { status: 504, type: 'upstream_error' },
};

const STATUS_BY_HTTP: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/**
 * A Gemini error answer (an HTTP error, or an `error` event inside a stream) in our terms. It has a
 * numeric `status`, `code`, `headers` and the upstream `error`, so classifyUpstreamError sorts it like
 * any HTTP answer: 5xx and 504 fail over, 429 waits `retry-after`, other 4xx go back to the client.
 */
export class GeminiApiError extends Error {
  override readonly name = 'GeminiApiError';
  constructor(
    /** our HTTP status */
    readonly status: number,
    /** our error type (API.md) */
    readonly type: string,
    /** our error code: `invalid_api_key`, else Google's status in lower case (`resource_exhausted`, …) */
    readonly code: string,
    message: string,
    /** Google's `error` object as received */
    readonly error: GeminiErrorBody['error'],
    /** `retry-after` (seconds) from Google's RetryInfo, for 429 */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function detailsOf(error: GeminiErrorBody['error']): Record<string, unknown>[] {
  return Array.isArray(error.details) ? error.details.filter(isObject) : [];
}

/** Google's RetryInfo `retryDelay` ("37s", "1.5s") in whole seconds, rounded up. */
function retryAfterSeconds(error: GeminiErrorBody['error']): number | undefined {
  for (const detail of detailsOf(error)) {
    if (typeof detail['@type'] !== 'string' || !detail['@type'].endsWith('google.rpc.RetryInfo')) continue;
    const match = /^(\d+(?:\.\d+)?)s$/.exec(String(detail.retryDelay ?? ''));
    if (match) return Math.ceil(Number(match[1]));
  }
  return undefined;
}

/** Gemini answers a bad key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID: it is an authentication failure. */
function isInvalidKey(error: GeminiErrorBody['error']): boolean {
  return detailsOf(error).some((detail) => detail.reason === 'API_KEY_INVALID');
}

/** Maps Gemini's `{"error":{"code","message","status","details"}}` (or any body) answered with `httpStatus`. */
export function mapGeminiError(httpStatus: number, body: unknown): GeminiApiError {
  const raw = isObject(body) && isObject(body.error) ? (body.error as GeminiErrorBody['error']) : {};
  const code = typeof raw.code === 'number' && raw.code >= 400 && raw.code < 600 ? raw.code : httpStatus;
  const googleStatus = typeof raw.status === 'string' && STATUS_TABLE[raw.status] ? raw.status : (STATUS_BY_HTTP[code] ?? (code >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT'));
  const message = typeof raw.message === 'string' && raw.message ? raw.message : `Gemini answered ${code} ${googleStatus}`;
  const error = { ...raw, code, status: googleStatus, message };
  if (isInvalidKey(error)) return new GeminiApiError(401, 'authentication_error', 'invalid_api_key', message, error);
  const mapped = STATUS_TABLE[googleStatus];
  const retryAfter = mapped.status === 429 ? retryAfterSeconds(error) : undefined;
  return new GeminiApiError(
    mapped.status,
    mapped.type,
    googleStatus.toLowerCase(),
    message,
    error,
    retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
  );
}

/** A request Gemini cannot be sent at all (e.g. a tool result for a call no earlier assistant message made): a 400. */
export class GeminiInvalidRequestError extends Error {
  override readonly name = 'GeminiInvalidRequestError';
  readonly status = 400;
  readonly type = 'invalid_request_error';
  readonly code = 'invalid_request';
  constructor(
    /** the parameter's path in the OpenAI request */
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}
