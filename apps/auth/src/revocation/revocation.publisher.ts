import { Injectable } from '@nestjs/common';
import { CredentialChanged, CredentialRevoked, EVENTS, REDIS_KEYS } from '@ish/contracts';
import { AuthGuardConfig } from '@ish/auth-guard';
import { AmqpClient, RedisClient } from '@ish/platform';

/**
 * Makes a revocation take effect everywhere: recorded in Redis for processes that start later (kept
 * as long as an access token can live), and broadcast so every running process drops it at once.
 */
@Injectable()
export class RevocationPublisher {
  constructor(
    private readonly client: AmqpClient,
    private readonly redis: RedisClient,
    private readonly config: AuthGuardConfig,
  ) {}

  async revoke(kind: CredentialRevoked['kind'], id: string): Promise<void> {
    const event: CredentialRevoked = { kind, id, notBefore: Date.now() };
    if (kind !== 'api_key') {
      await this.redis.set(REDIS_KEYS.revoked(event.kind, event.id), String(event.notBefore), 'EX', this.config.JWT_ACCESS_TTL_SECONDS + 60);
    }
    await this.client.publishEvent(EVENTS.credentialRevoked, event);
  }

  /** A key's or user's allowedModels changed: every process drops its cached copy, the next request sees the change. */
  async changed(kind: CredentialChanged['kind'], id: string): Promise<void> {
    const event: CredentialChanged = { kind, id };
    await this.client.publishEvent(EVENTS.credentialChanged, event);
  }
}
