import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CredentialChanged, CredentialRevoked, Principal, REDIS_KEYS, RPC, UserGovernance, UserModelsRequest, VerifyApiKeyRequest } from '@ish/contracts';
import { AmqpClient, AmqpConnection, RedisClient } from '@ish/platform';
import { AuthGuardConfig } from './auth-guard.config';
import { CredentialCache } from './credential-cache';
import { issuedAtMs, parseSigningKeys, SigningKey, verifyAccessToken } from './jwt-keys';
import { RevocationList } from './revocations';
import { hashSecret, isApiKey } from './secrets';

export interface VerifiedApiKey {
  principal: Principal;
  /** epoch ms, or null when the key never expires */
  expiresAt: number | null;
}

/** A credential's principal and how long it lives: what a long-lived stream must keep checking. */
export interface VerifiedCredential {
  principal: Principal;
  /** epoch ms; null when the credential never expires (an API key without expiresAt) */
  expiresAt: number | null;
}

/** Told after each revocation was applied; `null`: revocations were reloaded (a reconnect), anything may have changed. */
export type RevocationObserver = (event: CredentialRevoked | null) => void;

/**
 * Turns a bearer credential into a Principal. JWTs are verified locally (HMAC, pinned algorithm) and
 * checked against the revocation list; API keys are looked up once through the auth service and then
 * served from memory until revoked. Revocations arrive as `credential.revoked` broadcasts; after a
 * RabbitMQ reconnect (events may have been missed) the cache is cleared and revocations reloaded.
 */
@Injectable()
export class CredentialVerifier implements OnApplicationBootstrap {
  private readonly logger = new Logger('CredentialVerifier');
  private readonly keys: SigningKey[];
  readonly cache = new CredentialCache();
  /** a signed-in user's allowedModels and budget by user id, asked of the auth service once, dropped on `credential.changed` */
  private readonly userModels = new Map<string, { governance: UserGovernance; expiresAt: number }>();
  readonly revocations: RevocationList;
  private readonly observers = new Set<RevocationObserver>();

  constructor(
    config: AuthGuardConfig,
    private readonly client: AmqpClient,
    private readonly connection: AmqpConnection,
    private readonly redis: RedisClient,
  ) {
    this.keys = parseSigningKeys(config.JWT_KEYS);
    // a revocation older than the longest-lived access token can no longer refuse anything
    this.revocations = new RevocationList(config.JWT_ACCESS_TTL_SECONDS * 1000);
  }

  onApplicationBootstrap(): void {
    this.connection.manager.on('connect', () => {
      this.cache.clear();
      this.userModels.clear();
      void this.loadRevocations().then(() => this.notify(null));
    });
    void this.loadRevocations();
  }

  async verify(credential: string): Promise<Principal | null> {
    return (await this.verifyCredential(credential))?.principal ?? null;
  }

  /** As `verify`, with the credential's expiry (a JWT's `exp`, an API key's `expiresAt`). */
  async verifyCredential(credential: string): Promise<VerifiedCredential | null> {
    return isApiKey(credential) ? this.verifyApiKey(credential) : this.verifyJwt(credential);
  }

  /**
   * What can be decided without asking the auth service: a JWT, or an API key this process has
   * cached (valid or recently unknown). undefined: the key needs a lookup.
   */
  verifyLocally(credential: string): Principal | null | undefined {
    if (isApiKey(credential)) return this.cache.get(hashSecret(credential));
    return this.verifyJwt(credential)?.principal ?? null;
  }

  private verifyJwt(credential: string): VerifiedCredential | null {
    const claims = verifyAccessToken(credential, this.keys);
    if (!claims || this.revocations.isRevoked(claims.sub, claims.sid, issuedAtMs(claims))) return null;
    const principal: Principal = { kind: 'jwt', userId: claims.sub, email: claims.email, role: claims.role, scopes: claims.scopes, credentialId: claims.sid, rateLimitPerMinute: null };
    return { principal, expiresAt: claims.exp * 1000 };
  }

  /** A revocation heard on the broadcast: applied here, then told to every observer (open streams). */
  applyRevocation(event: CredentialRevoked): void {
    this.revocations.apply(event);
    this.cache.revoke(event.kind, event.id);
    if (event.kind === 'user') this.userModels.delete(event.id);
    this.notify(event);
  }

  /** A key's or user's settings changed (`credential.changed`): the next request asks the auth service again. */
  applyChange(event: CredentialChanged): void {
    this.cache.revoke(event.kind, event.id);
    if (event.kind === 'user') this.userModels.delete(event.id);
  }

  /** The models a session may call and what it may spend: its user's, from memory or (once per user, then until changed) from the auth service. */
  async sessionGovernance(userId: string, now = Date.now()): Promise<UserGovernance> {
    const cached = this.userModels.get(userId);
    if (cached && cached.expiresAt > now) return cached.governance;
    const request: UserModelsRequest = { userId };
    const answer = await this.client.request<UserGovernance>(RPC.authUserModels, request);
    const governance: UserGovernance = { allowedModels: answer.allowedModels ?? null, budget: answer.budget ?? null };
    if (this.userModels.size >= USER_MODELS_MAX_ENTRIES) this.userModels.delete(this.userModels.keys().next().value as string);
    this.userModels.set(userId, { governance, expiresAt: now + USER_MODELS_TTL_MS });
    return governance;
  }

  /** Calls `observer` after each revocation this process applies; answers the unsubscribe. */
  onRevocation(observer: RevocationObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  private notify(event: CredentialRevoked | null): void {
    for (const observer of this.observers) {
      try {
        observer(event);
      } catch (error) {
        this.logger.warn(`a revocation observer failed: ${(error as Error).message}`);
      }
    }
  }

  private async verifyApiKey(key: string): Promise<VerifiedCredential | null> {
    const keyHash = hashSecret(key);
    const cached = this.cache.entry(keyHash);
    if (cached !== undefined) return cached && { principal: cached.principal, expiresAt: cached.keyExpiresAt };
    const request: VerifyApiKeyRequest = { keyHash };
    const verified = await this.client.request<VerifiedApiKey | null>(RPC.authVerifyCredential, request);
    this.cache.set(keyHash, verified?.principal ?? null, verified?.expiresAt ?? null);
    return verified ?? null;
  }

  private async loadRevocations(): Promise<void> {
    try {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${REDIS_KEYS.revokedPrefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length === 0) continue;
        const values = await this.redis.mget(...keys);
        keys.forEach((key, i) => {
          const [kind, id] = key.slice(REDIS_KEYS.revokedPrefix.length).split(':');
          if ((kind === 'session' || kind === 'user') && values[i]) this.revocations.apply({ kind, id, notBefore: Number(values[i]) });
        });
      } while (cursor !== '0');
    } catch (error) {
      this.logger.warn(`could not load revocations from Redis: ${(error as Error).message}`);
    }
  }
}

/** a missed `credential.changed` (no reconnect seen) heals within this */
const USER_MODELS_TTL_MS = 60_000;
const USER_MODELS_MAX_ENTRIES = 50_000;
