import { IsEmail, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { AuthGuardConfig } from '@ish/auth-guard';
import { ConfigPart, ConfigParts, envBoolean, GatewayConfig, PlatformConfig, withDefaults } from '@ish/platform';
import { UsageConfig } from '@ish/usage';

/** Auth's own variables: registration, refresh tokens, the bootstrap admin, the sign-in throttle. */
@ConfigPart()
export class AuthConfig {
  /** whether anyone may register (API.md: default false; the local `npm start` stack turns it on) */
  @envBoolean()
  AUTH_ALLOW_REGISTRATION = false;

  /** lifetime of a session's refresh token */
  @IsInt() @Min(1) @Max(365)
  REFRESH_TTL_DAYS = 30;

  /** when set, an admin user holds exactly this key (scopes: all), ensured at every start */
  @IsOptional() @Matches(/^ish_[A-Za-z0-9_-]{32,}$/, { message: 'ISH_ADMIN_API_KEY must start with ish_ followed by at least 32 characters' })
  ISH_ADMIN_API_KEY?: string;

  /** the user that holds ISH_ADMIN_API_KEY */
  @IsEmail()
  ADMIN_EMAIL = 'admin@ish.local';

  /** sign-in attempts at one email from one client address within the window before 429 (counted before the password check) */
  @IsInt() @Min(1) @Max(1000)
  LOGIN_MAX_FAILURES = 10;

  /** sign-in attempts at one email from all addresses within the window before the account is locked (429) */
  @IsInt() @Min(1) @Max(100_000)
  LOGIN_ACCOUNT_MAX_FAILURES = 100;

  @IsInt() @Min(10) @Max(86_400)
  LOGIN_FAILURE_WINDOW_SECONDS = 900;
}

/** What auth reads, validated together at start. */
export const CONFIG_PARTS: ConfigParts = [
  // auth bodies are small: anything bigger is refused with 413
  withDefaults(PlatformConfig, { HTTP_BODY_LIMIT: '64kb' }),
  GatewayConfig,
  AuthGuardConfig,
  AuthConfig,
  UsageConfig,
];
