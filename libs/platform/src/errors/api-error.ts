import { HttpException, HttpStatus } from '@nestjs/common';
import type { ErrorBody, ErrorDetail, ErrorType } from '@ish/contracts';

/** An error that is meant for the client: it carries the API.md type, code and details. */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly type: ErrorType,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message, status);
  }

  /** the request parameter at fault, as OpenAI-style errors name it (`model`, `messages`) */
  param?: string;

  withParam(param: string): this {
    this.param = param;
    return this;
  }

  toBody(): ErrorBody {
    return {
      error: {
        type: this.type,
        code: this.code,
        message: this.message,
        ...(this.param ? { param: this.param } : {}),
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }

  static badRequest(code: string, message: string, details?: ErrorDetail[]): ApiError {
    return new ApiError(HttpStatus.BAD_REQUEST, 'invalid_request_error', code, message, details);
  }
  static unauthorized(message = 'A valid credential is required', code = 'invalid_credential'): ApiError {
    return new ApiError(HttpStatus.UNAUTHORIZED, 'authentication_error', code, message);
  }
  static forbidden(message: string, code = 'insufficient_scope'): ApiError {
    return new ApiError(HttpStatus.FORBIDDEN, 'permission_error', code, message);
  }
  static notFound(message: string, code = 'not_found'): ApiError {
    return new ApiError(HttpStatus.NOT_FOUND, 'not_found_error', code, message);
  }
  static conflict(message: string, code = 'conflict', details?: ErrorDetail[]): ApiError {
    return new ApiError(HttpStatus.CONFLICT, 'conflict_error', code, message, details);
  }
  static unavailable(message: string, code = 'service_unavailable', details?: ErrorDetail[]): ApiError {
    return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'api_error', code, message, details);
  }
}

const TYPE_BY_STATUS: Record<number, ErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  409: 'conflict_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
  502: 'upstream_error',
  503: 'api_error',
  504: 'upstream_error',
};

const CODE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request',
  401: 'invalid_credential',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'rate_limited',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

export function errorTypeForStatus(status: number): ErrorType {
  return TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

export function errorCodeForStatus(status: number): string {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'invalid_request');
}
