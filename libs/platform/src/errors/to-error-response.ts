import { HttpException } from '@nestjs/common';
import type { ErrorBody, ErrorDetail } from '@ish/contracts';
import { ApiError, errorCodeForStatus, errorTypeForStatus } from './api-error';
import { requestError } from './request-errors';
import { isDependencyUnavailable } from './unavailable';

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** true when the client sees a generic message and the real cause must be logged */
  unexpected: boolean;
}

interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message?: string;
  limit?: number;
}

/**
 * Turns anything thrown while serving a request into the API.md error shape. Only ApiError,
 * HttpException and body-parser errors reveal their message. A dependency that is away (PostgreSQL,
 * Redis, another service over RabbitMQ) is a 503 the client may retry; everything else is a 500 with
 * a generic message, so stack traces and secrets never reach a client.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof ApiError) {
    return { status: error.getStatus(), body: error.toBody(), headers: error.headers, unexpected: false };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message = extractMessage(response) ?? error.message;
    return {
      status,
      body: { error: { type: errorTypeForStatus(status), code: errorCodeForStatus(status), message } },
      headers: {},
      unexpected: status >= 500,
    };
  }
  const parserError = error as BodyParserError;
  if (parserError && typeof parserError === 'object' && typeof parserError.type === 'string' && parserError.expose) {
    const status = parserError.status ?? parserError.statusCode ?? 400;
    if (parserError.type === 'entity.parse.failed') {
      return clientError(400, 'invalid_json', 'The request body is not valid JSON');
    }
    if (parserError.type === 'entity.too.large') {
      return clientError(413, 'payload_too_large', `The request body exceeds the limit of ${parserError.limit} bytes`);
    }
    if (parserError.type === 'encoding.unsupported' || parserError.type === 'charset.unsupported') {
      return clientError(415, 'unsupported_encoding', parserError.message ?? 'Unsupported body encoding');
    }
    return clientError(status, errorCodeForStatus(status), parserError.message ?? 'Invalid request body');
  }
  const request = requestError(error);
  if (request) return clientError(request.status, request.code, request.message, request.details);
  if (isDependencyUnavailable(error)) {
    return {
      status: 503,
      body: { error: { type: 'api_error', code: 'service_unavailable', message: 'A service this request needs is unavailable right now; retry shortly' } },
      headers: { 'Retry-After': '1' },
      // the cause belongs in the log
      unexpected: true,
    };
  }
  return {
    status: 500,
    body: { error: { type: 'api_error', code: 'internal_error', message: 'An internal error occurred' } },
    headers: {},
    unexpected: true,
  };
}

function clientError(status: number, code: string, message: string, details?: ErrorDetail[]): ErrorResponse {
  return {
    status,
    body: { error: { type: errorTypeForStatus(status), code, message, ...(details ? { details } : {}) } },
    headers: {},
    unexpected: false,
  };
}

function extractMessage(response: string | object): string | undefined {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return undefined;
}
