/**
 * Errors on the Anthropic-compatible route (`/api/v1/messages`) in Anthropic's shape
 * `{"type":"error","error":{"type","message"}}`, plus our `code` (API.md "Relay — chat"): the
 * official SDK reads `error.type` and `error.message` and ignores what else the object carries.
 */

/** Anthropic's error types (https://platform.claude.com/docs/en/api/errors). */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'conflict_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: AnthropicErrorType; code: string; message: string };
}

export interface AnthropicErrorResponse {
  status: number;
  body: AnthropicErrorBody;
}

/** The error body; `code` is ours (API.md), `type` and `message` are what Anthropic clients read. */
export function anthropicErrorBody(type: AnthropicErrorType, message: string, code: string = type): AnthropicErrorBody {
  return { type: 'error', error: { type, code, message } };
}

/** A 400 `invalid_request_error`, the answer to a request Anthropic would refuse. */
export function invalidRequest(message: string, code = 'invalid_request'): AnthropicErrorResponse {
  return { status: 400, body: anthropicErrorBody('invalid_request_error', message, code) };
}

const TYPE_BY_STATUS: Readonly<Record<number, AnthropicErrorType>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'overloaded_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/**
 * Anthropic's error type for an HTTP status: the documented pairs, any other 4xx as
 * `invalid_request_error` (Anthropic's own rule for unlisted 4xx) and any other 5xx as `api_error`.
 */
export function anthropicErrorTypeForStatus(status: number): AnthropicErrorType {
  const known = TYPE_BY_STATUS[status];
  if (known) return known;
  return status >= 400 && status < 500 ? 'invalid_request_error' : 'api_error';
}

/** One of our API errors (API.md shape: status, `error.code`, `error.message`) as the route answers it. */
export function toAnthropicError(error: { status: number; code: string; message: string }): AnthropicErrorResponse {
  return { status: error.status, body: anthropicErrorBody(anthropicErrorTypeForStatus(error.status), error.message, error.code) };
}
