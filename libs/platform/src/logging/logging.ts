import type { NextFunction, Request, Response } from 'express';
import type { Params } from 'nestjs-pino';
import { performance } from 'node:perf_hooks';
import type { Logger as PinoLogger } from 'pino';
import { currentRequestId } from '../context/request-context';
import { PlatformConfig } from '../config/platform.config';

/** Paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.apiKey',
  '*.refreshToken',
  '*.accessToken',
  '*.secret',
  '*.key',
];

const QUIET_PATHS = new Set(['/health', '/health/ready', '/metrics']);

/**
 * JSON logs with the service name and the request id of the HTTP request or AMQP message in hand
 * (from the request context, see `mixin`). nestjs-pino mounts no middleware (`forRoutes: []`): the
 * access log is accessLogMiddleware's, one line from the root logger per request — pino-http's
 * per-request child logger, serializer wrappers and nestjs-pino's second request context cost a
 * relay ~10% of its CPU per request and added nothing the request id does not give.
 */
export function loggerOptions(service: string, config: PlatformConfig): Params {
  return {
    forRoutes: [],
    pinoHttp: {
      level: config.LOG_LEVEL,
      base: { service, pid: process.pid },
      messageKey: 'msg',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    },
  };
}

/**
 * The access log: when a response is sent, `request completed` (`request errored` at error level
 * for a 5xx), or `request aborted` when the client left first; with method, URL, status and time.
 * Health and metrics scrapes are not logged. `loggerOf`: nestjs-pino makes its root logger only when
 * the app initializes, after the middleware is mounted.
 */
export function accessLogMiddleware(loggerOf: () => Pick<PinoLogger, 'info' | 'warn' | 'error'>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (QUIET_PATHS.has(req.path)) return next();
    const started = performance.now();
    const done = () => {
      res.off('finish', done);
      res.off('close', done);
      const logger = loggerOf();
      // flat fields: `req` / `res` would go through pino-http's serializers, which expect the raw objects
      const entry = { method: req.method, url: req.originalUrl, statusCode: res.statusCode, responseTime: Math.round(performance.now() - started) };
      if (!res.writableFinished) logger.warn(entry, 'request aborted');
      else if (res.statusCode >= 500) logger.error(entry, 'request errored');
      else logger.info(entry, 'request completed');
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
