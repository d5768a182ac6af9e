import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDate,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxDate,
  MaxLength,
  Min,
  MinDate,
  MinLength,
} from 'class-validator';
import { IsOmittable } from './validation/omittable';

/** API.md "Credentials": `admin` implies every other scope. */
export const SCOPES = ['chat', 'instances:read', 'instances:write', 'android:read', 'android:execute', 'webhooks', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export const ROLES = ['admin', 'operator', 'user'] as const;
export type Role = (typeof ROLES)[number];

/**
 * API.md "Credentials": the most a role may hold, a signed-in session as much as its keys. `user`
 * chats and subscribes to webhooks; `operator` also runs the provider instances and the phones
 * (a screenshot shows what is on a phone); `admin` everything.
 */
export const ROLE_SCOPES: Record<Role, Scope[]> = {
  admin: ['admin'],
  operator: ['chat', 'webhooks', 'instances:read', 'instances:write', 'android:read', 'android:execute'],
  user: ['chat', 'webhooks'],
};

export const API_KEY_PREFIX = 'ish_';

/** Who is calling, as every service's guard sees it after verification. */
export interface Principal {
  kind: 'jwt' | 'api_key';
  userId: string;
  email: string;
  role: Role;
  scopes: Scope[];
  /** the API key's id, or the refresh family (session) of a JWT */
  credentialId: string;
  /** null: the service default (RATE_LIMIT_PER_MINUTE); 0: unlimited */
  rateLimitPerMinute: number | null;
  /** the credential's own list (the key's; the user's for a session); absent or null: every model */
  allowedModels?: string[] | null;
  /** an API key's owner's list, which caps the key's; absent or null: every model */
  ownerAllowedModels?: string[] | null;
  /** an API key's prompt + completion tokens per minute; absent, null or 0: no limit */
  tokensPerMinute?: number | null;
}

/** API.md "Governance": model ids, aliases or `provider/*`; null clears the list (every model). */
function IsAllowedModels(): PropertyDecorator {
  return (target, property) => {
    const each = { each: true, message: `each entry of ${String(property)} must be a string of 1 to 200 characters (a model id, an alias or provider/*)` };
    IsOptional()(target, property);
    IsArray({ message: `${String(property)} must be an array of model ids, aliases or provider/*, or null` })(target, property);
    ArrayMaxSize(200)(target, property);
    IsString(each)(target, property);
    Length(1, 200, each)(target, property);
  };
}

/** API.md "Governance": prompt + completion tokens per minute of a key; 0 or null: no limit. */
export const MAX_TOKENS_PER_MINUTE = 1_000_000_000;
function IsTokensPerMinute(): PropertyDecorator {
  return (target, property) => {
    const message = { message: `${String(property)} must be an integer from 0 (no limit) to ${MAX_TOKENS_PER_MINUTE}, or null` };
    IsOptional()(target, property);
    IsInt(message)(target, property);
    Min(0, message)(target, property);
    Max(MAX_TOKENS_PER_MINUTE, message)(target, property);
  };
}

export class RegisterRequest {
  @IsEmail({}, { message: 'email must be a valid email address' }) @MaxLength(254) email: string;
  @IsString() @MinLength(12, { message: 'password must be at least 12 characters' }) @MaxLength(256) password: string;
}

export class LoginRequest {
  @IsEmail({}, { message: 'email must be a valid email address' }) @MaxLength(254) email: string;
  @IsString() @Length(1, 256) password: string;
}

export class RefreshRequest {
  @IsString() @Length(20, 200) refreshToken: string;
}

export class CreateApiKeyRequest {
  @IsString() @Length(1, 100) name: string;
  @IsArray() @ArrayUnique() @ArrayMaxSize(SCOPES.length) @IsIn(SCOPES, { each: true, message: `each scope must be one of: ${SCOPES.join(', ')}` })
  scopes: Scope[];
  @IsOptional() @Type(() => Date) @IsDate() @MinDate(() => new Date(), { message: 'expiresAt must be in the future' }) expiresAt?: Date;
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000) rateLimitPerMinute?: number;
  @IsTokensPerMinute() tokensPerMinute?: number | null;
  @IsAllowedModels() allowedModels?: string[] | null;
}

/** `PATCH /api-keys/{id}`: what may change on a key after it was made. */
export class UpdateApiKeyRequest {
  @IsOmittable() @IsString() @Length(1, 100) name?: string;
  @IsOmittable() @IsInt() @Min(0) @Max(1_000_000) rateLimitPerMinute?: number;
  @IsTokensPerMinute() tokensPerMinute?: number | null;
  @IsAllowedModels() allowedModels?: string[] | null;
}

export class UpdateUserRequest {
  @IsOmittable() @IsIn(ROLES) role?: Role;
  @IsOmittable() @IsBoolean() disabled?: boolean;
  @IsAllowedModels() allowedModels?: string[] | null;
}

/**
 * Instants a report may name: what PostgreSQL's timestamps hold with room to spare (JavaScript dates
 * reach ±271 821 years; PostgreSQL refuses those, which made `?to=-271821-04-20` a 500).
 */
export const EARLIEST_REPORT_DATE = new Date('1970-01-01T00:00:00.000Z');
export const LATEST_REPORT_DATE = new Date('9999-12-31T23:59:59.999Z');
const REPORT_RANGE = { message: '$property must be between 1970-01-01 and 9999-12-31' };

export class UsageQuery {
  @IsOptional() @Type(() => Date) @IsDate() @MinDate(EARLIEST_REPORT_DATE, REPORT_RANGE) @MaxDate(LATEST_REPORT_DATE, REPORT_RANGE) from?: Date;
  @IsOptional() @Type(() => Date) @IsDate() @MinDate(EARLIEST_REPORT_DATE, REPORT_RANGE) @MaxDate(LATEST_REPORT_DATE, REPORT_RANGE) to?: Date;
}

/** RPC `auth.verify-credential`: the SHA-256 of an API key (the key itself never crosses the bus). */
export class VerifyApiKeyRequest {
  @IsString() @Length(64, 64) keyHash: string;
}

/** Event `credential.revoked`: every service drops what it cached for this credential at once. */
export class CredentialRevoked {
  @IsIn(['api_key', 'session', 'user']) kind: 'api_key' | 'session' | 'user';
  /** key id, refresh family id, or user id */
  @IsUUID() id: string;
  /** tokens issued up to this instant (epoch ms) stop working */
  @IsInt() @Min(0) notBefore: number;
}

/** Event `credential.changed`: what a key or user may do changed (not revoked); every service drops its cached copy. */
export class CredentialChanged {
  @IsIn(['api_key', 'user']) kind: 'api_key' | 'user';
  @IsUUID() id: string;
}

/** RPC `auth.user-models`: a signed-in user's `allowedModels` (sessions carry no list of their own). */
export class UserModelsRequest {
  @IsUUID() userId: string;
}
