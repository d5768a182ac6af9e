import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { toErrorResponse } from './to-error-response';

/** The one exception filter: every HTTP error leaves as API.md JSON. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    writeError(response, exception, this.logger);
  }
}

/** Shared by the filter and the express error middleware (errors raised before Nest routes). */
export function writeError(response: Response, exception: unknown, logger: Logger): void {
  const { status, body, headers, unexpected } = toErrorResponse(exception);
  if (unexpected) logger.error({ err: exception }, 'request failed');
  if (response.headersSent) {
    response.end();
    return;
  }
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.status(status).json(body);
}
