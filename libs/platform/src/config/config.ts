import { plainToInstance, Transform } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateBy, validateSync } from 'class-validator';
import { isTrustedProxyList } from '../net/client-address';
import { corsOriginsProblem } from '../bootstrap/cors';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Variables every service reads. Each app extends this class with its own; see `.env.example`. */
export class BaseConfig {
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
   * Where the aggregated `/api/v1/health` looks: `name=url[|url…]` pairs separated by commas. A service
   * with several URLs (workers) is up when any of them is ready.
   */
  @IsString()
  HEALTH_TARGETS =
    'auth=http://127.0.0.1:8001,relay=http://127.0.0.1:8002,instance-manager=http://127.0.0.1:8003,' +
    'android-bridge=http://127.0.0.1:8004,worker=http://127.0.0.1:8005';

  /**
   * JWT signing keys as `kid:secret[,kid:secret…]`; the first signs, all verify, so a key can be
   * rotated without signing everyone out. Secrets of at least 32 characters.
   */
  @Matches(/^[A-Za-z0-9_-]{1,32}:[^,]{32,}(,[A-Za-z0-9_-]{1,32}:[^,]{32,})*$/, { message: 'JWT_KEYS must be kid:secret[,kid:secret…] with secrets of at least 32 characters' })
  JWT_KEYS: string;

  /** lifetime of access tokens */
  @IsInt() @Min(60) @Max(86_400)
  JWT_ACCESS_TTL_SECONDS = 900;

  /** requests per minute per credential unless the API key says otherwise */
  @IsInt() @Min(0) @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE = 120;

  /**
   * requests per minute per client address that carry no credential or a bad one, plus sign-ups,
   * sign-ins and the gateway's health and OpenAPI pages; counted in Redis across every service (0: no limit)
   */
  @IsInt() @Min(0) @Max(1_000_000)
  AUTH_RATE_LIMIT_PER_MINUTE = 120;

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

/** A boolean variable: `1`, `true`, `yes`, `on` (any case) are true; anything else is false. */
export const envBoolean = () =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value)),
    IsBoolean(),
  );

export class ConfigError extends Error {}

/**
 * Reads and validates the environment into `schema`, failing fast with every offending variable named.
 * Unknown variables are ignored (the environment holds much else).
 */
export function loadConfig<T extends BaseConfig>(schema: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const defaults = new schema();
  const source: Record<string, unknown> = {};
  for (const key of Object.keys(env)) {
    const value = env[key];
    if (value !== undefined && value !== '') source[key] = value;
  }
  const merged = plainToInstance(schema, { ...defaults, ...coerceNumbers(defaults, source) });
  const errors = validateSync(merged, { whitelist: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return merged;
}

/** env values are strings; turn those whose default is a number into numbers so @IsInt can judge them */
function coerceNumbers(defaults: object, source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...source };
  for (const [key, value] of Object.entries(source)) {
    const current = (defaults as Record<string, unknown>)[key];
    const numeric = typeof current === 'number' || key === 'PORT' || key.endsWith('_PORT');
    if (numeric && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) out[key] = Number(value);
  }
  return out;
}
