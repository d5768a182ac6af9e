import type { Params } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { currentRequestId } from '../context/request-context';
import { BaseConfig } from '../config/config';

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

/** JSON logs with the service name and the request id of the HTTP request or AMQP message in hand. */
export function loggerOptions(service: string, config: BaseConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      base: { service, pid: process.pid },
      messageKey: 'msg',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
      genReqId: (req: IncomingMessage) => currentRequestId() ?? String(req.headers['x-request-id'] ?? ''),
      autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.has((req.url ?? '').split('?')[0]) },
      quietReqLogger: true,
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
