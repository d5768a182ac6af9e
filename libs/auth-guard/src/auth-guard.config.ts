import { IsInt, Matches, Max, Min } from 'class-validator';
import { ConfigPart } from '@ish/platform';

/** What the guard needs to authenticate and limit callers; auth reads it too, to sign tokens and set key limits. */
@ConfigPart()
export class AuthGuardConfig {
  /** lifetime of access tokens */
  @IsInt() @Min(60) @Max(86_400)
  JWT_ACCESS_TTL_SECONDS = 900;

  /**
   * JWT signing keys as `kid:secret[,kid:secret…]`; the first signs, all verify, so a key can be
   * rotated without signing everyone out. Secrets of at least 32 characters.
   */
  @Matches(/^[A-Za-z0-9_-]{1,32}:[^,]{32,}(,[A-Za-z0-9_-]{1,32}:[^,]{32,})*$/, { message: 'JWT_KEYS must be kid:secret[,kid:secret…] with secrets of at least 32 characters' })
  JWT_KEYS: string;

  /** requests per minute per credential unless the API key says otherwise */
  @IsInt() @Min(0) @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE = 120;

  /**
   * requests per minute per client address that carry no credential or a bad one, plus sign-ups,
   * sign-ins and the gateway's health and OpenAPI pages; counted in Redis across every service (0: no limit)
   */
  @IsInt() @Min(0) @Max(1_000_000)
  AUTH_RATE_LIMIT_PER_MINUTE = 120;
}
