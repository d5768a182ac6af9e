import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';
import { corsOriginsProblem } from '../bootstrap/cors';
import { isTrustedProxyList } from '../net/client-address';
import { ConfigPart } from './config';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The platform's config part, read by every process: how it listens, logs, reaches PostgreSQL, Redis and
 * RabbitMQ, and stops. Other variables belong to the part of the lib or app that reads them (`.env.example`).
 */
@ConfigPart()
export class PlatformConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsOptional() @IsInt() @Min(0) @Max(65535)
  PORT?: number;

  @IsString()
  HOST = '0.0.0.0';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL: string;

  @Matches(/^amqps?:\/\//, { message: 'RABBITMQ_URL must be an amqp:// URL' })
  RABBITMQ_URL: string;

  /** unacknowledged messages a consumer holds at once */
  @IsInt() @Min(1) @Max(1000)
  RABBITMQ_PREFETCH = 20;

  /** every request/reply gives up after this long */
  @IsInt() @Min(100) @Max(120_000)
  RABBITMQ_RPC_TIMEOUT_MS = 5000;

  /** deliveries of one event before it is dead-lettered */
  @IsInt() @Min(1) @Max(100)
  RABBITMQ_DELIVERY_LIMIT = 5;

  /** largest accepted JSON body (API.md: larger → 413) */
  @Matches(/^\d+(b|kb|mb)$/i)
  HTTP_BODY_LIMIT = '1mb';

  /**
   * peers allowed to name the client's address in X-Forwarded-For (the gateway): `loopback`,
   * `linklocal`, `uniquelocal`, addresses or CIDR ranges, comma-separated; anyone else's header is ignored
   */
  @ValidateBy({ name: 'isTrustedProxyList', validator: { validate: (v) => typeof v === 'string' && isTrustedProxyList(v), defaultMessage: () => 'TRUSTED_PROXIES must be comma-separated loopback, linklocal, uniquelocal, IP addresses or CIDR ranges' } })
  TRUSTED_PROXIES = 'loopback';

  /**
   * browser origins (`https://host[:port]`, comma-separated) allowed to call the API from their pages; empty:
   * none, no CORS header is ever sent and browsers refuse cross-origin calls. `*` is refused.
   */
  @ValidateBy({
    name: 'corsOrigins',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && corsOriginsProblem(value) === undefined,
      defaultMessage: (args) => `CORS_ORIGINS must be exact origins separated by commas: ${corsOriginsProblem(String(args?.value))}`,
    },
  })
  CORS_ORIGINS = '';

  /** seconds a process may take to finish in-flight work after SIGTERM */
  @IsInt() @Min(1) @Max(600)
  SHUTDOWN_GRACE_SECONDS = 25;
}
