import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { toErrorResponse } from '@ish/platform';
import { toAnthropicError, type AnthropicErrorResponse } from '@ish/providers';

/** A refusal already in Anthropic's shape (validation, translation), answered as it is. */
export class AnthropicRequestError extends Error {
  constructor(readonly response: AnthropicErrorResponse) {
    super(response.body.error.message);
  }
}

/** Anything thrown while serving a Messages route, as Anthropic's `{"type":"error","error":{…}}` with our status, code and headers. */
export function toAnthropicErrorResponse(exception: unknown): AnthropicErrorResponse & { headers: Record<string, string>; unexpected: boolean } {
  if (exception instanceof AnthropicRequestError) return { ...exception.response, headers: {}, unexpected: false };
  const { status, body, headers, unexpected } = toErrorResponse(exception);
  return { ...toAnthropicError({ status, code: body.error.code, message: body.error.message }), headers, unexpected };
}

/**
 * Scoped to the Messages controller, so the guard's 401/403/429 and every error of the route leave
 * in Anthropic's shape (the official SDK reads `error.type`); the rest of the API keeps API.md's.
 */
@Catch()
export class AnthropicExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body, headers, unexpected } = toAnthropicErrorResponse(exception);
    if (unexpected) this.logger.error({ err: exception }, 'request failed');
    if (response.headersSent) {
      response.end();
      return;
    }
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    const requestId = response.getHeader('x-request-id');
    // Anthropic's clients read the request id from `request-id`
    if (typeof requestId === 'string') response.setHeader('request-id', requestId);
    response.status(status).json(body);
  }
}
