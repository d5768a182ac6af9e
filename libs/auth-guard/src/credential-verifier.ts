import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Principal, RPC, VerifyApiKeyRequest } from '@ish/contracts';
import { AmqpClient, AmqpConnection, BaseConfig, RedisClient } from '@ish/platform';
import { CredentialCache } from './credential-cache';
import { issuedAtMs, parseSigningKeys, SigningKey, verifyAccessToken } from './jwt-keys';
import { RevocationList, REVOCATION_KEY_PREFIX } from './revocations';
import { hashSecret, isApiKey } from './secrets';

export interface VerifiedApiKey {
  principal: Principal;
  /** epoch ms, or null when the key never expires */
  expiresAt: number | null;
}

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
  readonly revocations: RevocationList;

  constructor(
    config: BaseConfig,
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
      void this.loadRevocations();
    });
    void this.loadRevocations();
  }

  async verify(credential: string): Promise<Principal | null> {
    const known = this.verifyLocally(credential);
    return known !== undefined ? known : this.lookUpApiKey(hashSecret(credential));
  }

  /**
   * What can be decided without asking the auth service: a JWT, or an API key this process has
   * cached (valid or recently unknown). undefined: the key needs a lookup.
   */
  verifyLocally(credential: string): Principal | null | undefined {
    if (isApiKey(credential)) return this.cache.get(hashSecret(credential));
    const claims = verifyAccessToken(credential, this.keys);
    if (!claims || this.revocations.isRevoked(claims.sub, claims.sid, issuedAtMs(claims))) return null;
    return { kind: 'jwt', userId: claims.sub, email: claims.email, role: claims.role, scopes: claims.scopes, credentialId: claims.sid, rateLimitPerMinute: null };
  }

  private async lookUpApiKey(keyHash: string): Promise<Principal | null> {
    const request: VerifyApiKeyRequest = { keyHash };
    const verified = await this.client.request<VerifiedApiKey | null>(RPC.authVerifyCredential, request);
    this.cache.set(keyHash, verified?.principal ?? null, verified?.expiresAt ?? null);
    return verified?.principal ?? null;
  }

  private async loadRevocations(): Promise<void> {
    try {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${REVOCATION_KEY_PREFIX}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length === 0) continue;
        const values = await this.redis.mget(...keys);
        keys.forEach((key, i) => {
          const [kind, id] = key.slice(REVOCATION_KEY_PREFIX.length).split(':');
          if ((kind === 'session' || kind === 'user') && values[i]) this.revocations.apply({ kind, id, notBefore: Number(values[i]) });
        });
      } while (cursor !== '0');
    } catch (error) {
      this.logger.warn(`could not load revocations from Redis: ${(error as Error).message}`);
    }
  }
}
