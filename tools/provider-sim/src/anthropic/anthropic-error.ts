import { ServerResponse } from 'node:http';
import { sendJson } from '../http-io';
import { SimContext } from '../sim-context';

/** Anthropic's error types and the status each comes with (https://platform.claude.com/docs/en/api/errors). */
export const ERROR_STATUS = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
} as const;

export type AnthropicErrorType = keyof typeof ERROR_STATUS;

export interface AnthropicSimError {
  status: number;
  type: AnthropicErrorType;
  message: string;
  headers?: Record<string, string>;
}

export function isAnthropicErrorType(value: unknown): value is AnthropicErrorType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, value);
}

export function anthropicError(type: AnthropicErrorType, message: string, headers?: Record<string, string>): AnthropicSimError {
  return { status: ERROR_STATUS[type], type, message, ...(headers ? { headers } : {}) };
}

export const invalidRequest = (message: string) => anthropicError('invalid_request_error', message);

export function isSimError(value: unknown): value is AnthropicSimError {
  return typeof value === 'object' && value !== null && typeof (value as AnthropicSimError).status === 'number' && isAnthropicErrorType((value as AnthropicSimError).type);
}

/** `{"type":"error","error":{"type","message"},"request_id"}`, with the same id in the `request-id` header. */
export function sendAnthropicError(ctx: SimContext, res: ServerResponse, error: AnthropicSimError, requestId: string): void {
  ctx.stats.error();
  sendJson(res, error.status, { type: 'error', error: { type: error.type, message: error.message }, request_id: requestId }, error.headers);
}
