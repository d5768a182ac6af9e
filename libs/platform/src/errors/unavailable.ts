import { RemoteError } from '../rabbitmq/amqp-message';

/** Node's codes for a connection that could not be made or broke off. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATEs that say the server is away, not that the statement was wrong: class 08
 * (connection exception), 57P01–57P03 (shutting down, crashed, starting up), 53300 (no connection slot).
 */
const PG_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;

/** What pg, pg-pool and ioredis throw when their server is gone (they carry no code). */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /is not queryable/,
  /^Connection is closed\.?$/,
  /enableOfflineQueue options is false/,
  /max retries per request limit/i,
];

/** Request/reply calls that never got an answer, or whose remote side found its own dependency away. */
const REMOTE_UNAVAILABLE = new Set(['rpc_unavailable', 'rpc_timeout', 'rpc_no_route', 'service_unavailable']);

/**
 * Whether `error` means a dependency of the request (PostgreSQL, Redis, another service over
 * RabbitMQ) is unreachable right now — the request may well succeed when retried shortly — rather than
 * a bug. Looks through the wrappers TypeORM (`driverError`) and Node (`cause`, AggregateError) put around it.
 */
export function isDependencyUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  if (error instanceof RemoteError) return REMOTE_UNAVAILABLE.has(error.body.code);
  const candidate = error as { code?: unknown; message?: unknown; name?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof candidate.code === 'string' && (NETWORK_CODES.has(candidate.code) || PG_UNAVAILABLE.test(candidate.code))) return true;
  if (candidate.name === 'MaxRetriesPerRequestError') return true;
  if (typeof candidate.message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(candidate.message as string))) return true;
  if (Array.isArray(candidate.errors) && candidate.errors.some((inner) => isDependencyUnavailable(inner, depth + 1))) return true;
  return isDependencyUnavailable(candidate.driverError, depth + 1) || isDependencyUnavailable(candidate.cause, depth + 1);
}
