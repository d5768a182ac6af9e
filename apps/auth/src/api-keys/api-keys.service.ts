import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, Repository } from 'typeorm';
import { CreateApiKeyRequest, Principal, Scope, UpdateApiKeyRequest } from '@ish/contracts';
import { ApiKeyEntity, UserEntity } from '@ish/database';
import { actsAsAdmin, AuthGuardConfig, capScopes, coversAll, generateApiKey, hashSecret, VerifiedApiKey } from '@ish/auth-guard';
import { ApiError } from '@ish/platform';
import { effectiveAllowedModels } from '@ish/routing';
import { AuditService } from '../audit/audit.service';
import { ModelCatalog, ModelWarnings } from '../models/model-catalog';
import { AuthConfig } from '../config';
import { RevocationPublisher } from '../revocation/revocation.publisher';

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  rateLimitPerMinute: number;
  /** null: every model (the owner's list still caps it) */
  allowedModels: string[] | null;
  /** prompt + completion tokens per minute; null or 0: no limit */
  tokensPerMinute: number | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

@Injectable()
export class ApiKeysService implements OnApplicationBootstrap {
  private readonly logger = new Logger('ApiKeys');

  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly config: AuthConfig,
    private readonly guard: AuthGuardConfig,
    private readonly audit: AuditService,
    private readonly revocations: RevocationPublisher,
    private readonly catalog: ModelCatalog,
  ) {}

  /** A key made with a key holds no scope the making key lacks and expires no later than it. */
  async create(owner: Principal, request: CreateApiKeyRequest, ip?: string): Promise<ApiKeyView & { key: string } & ModelWarnings> {
    if (!coversAll(owner.scopes, request.scopes)) throw ApiError.forbidden('A key cannot hold scopes its creator lacks', 'scope_not_allowed');
    const limit = request.rateLimitPerMinute;
    this.assertMayRaiseLimit(owner, limit);
    const allowedModels = this.inheritAllowedModels(owner, request.allowedModels);
    const tokensPerMinute = tokensPerMinuteWithin(owner, request.tokensPerMinute);
    const expiresAt = await this.expiryFor(owner, request.expiresAt ?? null);
    const { key, prefix, keyHash } = generateApiKey();
    const entity = await this.keys.save(
      this.keys.create({ userId: owner.userId, name: request.name, prefix, keyHash, scopes: request.scopes, rateLimitPerMinute: limit ?? null, allowedModels, tokensPerMinute, expiresAt }),
    );
    await this.audit.record('api_key.created', { userId: owner.userId, credentialId: entity.id, ip, details: { name: entity.name, prefix, scopes: entity.scopes, allowedModels, tokensPerMinute } });
    return { ...this.view(entity), key, ...(await this.catalog.warnings(allowedModels)) };
  }

  /** PATCH: name, rate limit (the same admin rule as at creation), allowedModels and tokensPerMinute; a change reaches every service's cache at once. */
  async update(owner: Principal, id: string, request: UpdateApiKeyRequest, ip?: string): Promise<ApiKeyView & ModelWarnings> {
    const key = await this.keys.findOne({ where: { id, ...(actsAsAdmin(owner) ? {} : { userId: owner.userId }) } });
    if (!key || key.revokedAt) throw ApiError.notFound('No such API key', 'api_key_not_found');
    this.assertMayRaiseLimit(owner, request.rateLimitPerMinute);
    const changes: Partial<ApiKeyEntity> = {};
    if (request.name !== undefined) changes.name = request.name;
    if (request.rateLimitPerMinute !== undefined) changes.rateLimitPerMinute = request.rateLimitPerMinute;
    if (request.allowedModels !== undefined) changes.allowedModels = this.inheritAllowedModels(owner, request.allowedModels, id);
    if (request.tokensPerMinute !== undefined) changes.tokensPerMinute = tokensPerMinuteWithin(owner, request.tokensPerMinute);
    if (Object.keys(changes).length > 0) {
      await this.keys.update({ id }, changes);
      await this.revocations.changed('api_key', id);
      await this.audit.record('api_key.updated', { userId: key.userId, actorId: owner.userId, credentialId: id, ip, details: { ...changes } });
    }
    const updated = { ...key, ...changes } as ApiKeyEntity;
    return { ...this.view(updated), ...(await this.catalog.warnings(changes.allowedModels)) };
  }

  private assertMayRaiseLimit(owner: Principal, limit: number | undefined): void {
    const raisesLimit = limit !== undefined && (limit === 0 || limit > this.guard.RATE_LIMIT_PER_MINUTE);
    if (raisesLimit && !actsAsAdmin(owner)) throw ApiError.forbidden('Only an admin may set a rate limit above the default or unlimited (0)', 'rate_limit_not_allowed');
  }

  /**
   * A key made (or changed) with a key that has a list gets that list when it asks for none, so it
   * cannot call more than the key that made it; a narrower list is its own (its calls must pass both
   * anyway: the maker's list is not kept with it, so a list is never widened past the maker's here).
   */
  private inheritAllowedModels(owner: Principal, requested: string[] | null | undefined, targetId?: string): string[] | null {
    const list = requested === undefined || requested === null ? null : [...new Set(requested.map((entry) => entry.trim()))];
    if (owner.kind !== 'api_key' || owner.credentialId === targetId || !owner.allowedModels) return list;
    return effectiveAllowedModels(list, owner.allowedModels);
  }

  /** a key minted by a key inherits its expiry, and may ask for an earlier one only */
  private async expiryFor(owner: Principal, requested: Date | null): Promise<Date | null> {
    if (owner.kind !== 'api_key') return requested;
    const parent = await this.keys.findOne({ where: { id: owner.credentialId } });
    const limit = parent?.expiresAt ?? null;
    if (!limit) return requested;
    if (!requested) return limit;
    if (requested.getTime() > limit.getTime()) {
      throw ApiError.badRequest('expires_after_parent', `A key made with a key cannot outlive it: expiresAt must be at or before ${limit.toISOString()}`, [
        { field: 'expiresAt', message: `must be at or before ${limit.toISOString()}, when the key making it expires` },
      ]).withParam('expiresAt');
    }
    return requested;
  }

  async list(owner: Principal): Promise<ApiKeyView[]> {
    const rows = await this.keys.find({ where: { userId: owner.userId }, order: { createdAt: 'DESC' } });
    return rows.map((row) => this.view(row));
  }

  async revoke(owner: Principal, id: string, ip?: string): Promise<void> {
    const key = await this.keys.findOne({ where: { id, ...(actsAsAdmin(owner) ? {} : { userId: owner.userId }) } });
    if (!key) throw ApiError.notFound('No such API key', 'api_key_not_found');
    if (!key.revokedAt) {
      await this.keys.update({ id }, { revokedAt: new Date() });
      await this.revocations.revoke('api_key', id);
      await this.audit.record('api_key.revoked', { userId: key.userId, actorId: owner.userId, credentialId: id, ip });
    }
  }

  /** RPC: what a key may do right now, or null. Scopes never exceed the owner's current role. */
  async verify(keyHash: string): Promise<VerifiedApiKey | null> {
    const key = await this.keys.findOne({ where: { keyHash } });
    if (!key || key.revokedAt || (key.expiresAt && key.expiresAt.getTime() <= Date.now())) return null;
    const user = await this.users.findOne({ where: { id: key.userId } });
    if (!user || user.disabled) return null;
    const scopes = capScopes(key.scopes, user.role);
    const principal: Principal = {
      kind: 'api_key',
      userId: user.id,
      email: user.email,
      role: user.role,
      scopes,
      credentialId: key.id,
      rateLimitPerMinute: key.rateLimitPerMinute,
      allowedModels: key.allowedModels,
      ownerAllowedModels: user.allowedModels,
      tokensPerMinute: key.tokensPerMinute,
    };
    return {
      principal,
      expiresAt: key.expiresAt?.getTime() ?? null,
    };
  }

  /** RPC: a user's own list (an unknown user: none, the session is refused by its revocation anyway). */
  async userAllowedModels(userId: string): Promise<{ allowedModels: string[] | null }> {
    const user = await this.users.findOne({ where: { id: userId }, select: { id: true, allowedModels: true } });
    return { allowedModels: user?.allowedModels ?? null };
  }

  /**
   * ISH_ADMIN_API_KEY: an admin user holds exactly this key; an earlier bootstrap key is revoked. The
   * admin is the account the bootstrap made: one with ADMIN_EMAIL that someone registered is never
   * promoted (it would hand the system to whoever registered that email first) and start-up stops.
   */
  async onApplicationBootstrap(): Promise<void> {
    const key = this.config.ISH_ADMIN_API_KEY;
    if (!key) return;
    const email = this.config.ADMIN_EMAIL.toLowerCase();
    await this.users.createQueryBuilder().insert().values({ email, role: 'admin', passwordHash: null, bootstrap: true }).orIgnore().execute();
    const admin = await this.users.findOneOrFail({ where: { email } });
    if (!admin.bootstrap) {
      const message =
        `ADMIN_EMAIL ${email} belongs to an account that was registered, not created by the system: refusing to make it the admin that holds ISH_ADMIN_API_KEY. ` +
        'Set ADMIN_EMAIL to an address nobody has registered, or remove that account.';
      this.logger.error(message);
      throw new AdminEmailTakenError(message);
    }
    if (admin.role !== 'admin' || admin.disabled) await this.users.update({ id: admin.id }, { role: 'admin', disabled: false });
    const keyHash = hashSecret(key);
    const stale = await this.keys.find({ where: { bootstrap: true, revokedAt: IsNull(), keyHash: Not(keyHash) } });
    for (const old of stale) {
      await this.keys.update({ id: old.id }, { revokedAt: new Date() });
      await this.revocations.revoke('api_key', old.id);
    }
    await this.keys
      .createQueryBuilder()
      .insert()
      .values({ userId: admin.id, name: 'bootstrap admin key', prefix: key.slice(0, 12), keyHash, scopes: ['admin'], rateLimitPerMinute: 0, bootstrap: true })
      .orUpdate(['revoked_at', 'user_id', 'scopes'], ['key_hash'])
      .setParameter('revoked_at', null)
      .execute();
    await this.keys.update({ keyHash }, { revokedAt: null, userId: admin.id, scopes: ['admin'] });
    this.logger.log(`admin API key ensured for ${email} (prefix ${key.slice(0, 12)})`);
  }

  private view(row: ApiKeyEntity): ApiKeyView {
    return {
      id: row.id,
      name: row.name,
      prefix: row.prefix,
      scopes: row.scopes,
      rateLimitPerMinute: row.rateLimitPerMinute ?? this.guard.RATE_LIMIT_PER_MINUTE,
      allowedModels: row.allowedModels ?? null,
      tokensPerMinute: row.tokensPerMinute ?? null,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      revokedAt: row.revokedAt,
    };
  }
}

/**
 * A key's tokensPerMinute as asked, within what the calling key may give: a key with a limit makes
 * (or changes) keys with at most that limit, itself included; asking none inherits it. A session has no cap.
 */
export function tokensPerMinuteWithin(owner: Principal, requested: number | null | undefined): number | null {
  const cap = owner.kind === 'api_key' && owner.tokensPerMinute ? owner.tokensPerMinute : null;
  if (cap === null) return requested ?? null;
  if (requested === undefined || requested === null) return cap;
  if (requested === 0 || requested > cap) {
    const message = `A key with a limit of ${cap} tokens per minute cannot give a key more: tokensPerMinute must be from 1 to ${cap}`;
    throw ApiError.badRequest('tokens_per_minute_above_maker', message, [{ field: 'tokensPerMinute', message: `must be from 1 to ${cap}` }]).withParam('tokensPerMinute');
  }
  return requested;
}

/** Start-up refuses: ADMIN_EMAIL names an account the bootstrap did not make. */
export class AdminEmailTakenError extends Error {}
