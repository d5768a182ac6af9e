import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { ROLE_SCOPES } from '@ish/contracts';
import { RefreshTokenEntity, UserEntity } from '@ish/database';
import { AuthGuardConfig, generateRefreshToken, hashSecret, parseSigningKeys, signAccessToken, SigningKey } from '@ish/auth-guard';
import { ApiError } from '@ish/platform';
import { AuditService } from '../audit/audit.service';
import { AuthConfig } from '../config';
import { RevocationPublisher } from '../revocation/revocation.publisher';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/**
 * Sessions: a login starts a refresh-token family; each refresh spends the presented token and
 * issues the next one of the family; a spent token presented again revokes the whole family.
 */
@Injectable()
export class SessionsService {
  private readonly keys: SigningKey[];

  constructor(
    @InjectRepository(RefreshTokenEntity) private readonly tokens: Repository<RefreshTokenEntity>,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly config: AuthConfig,
    private readonly guard: AuthGuardConfig,
    private readonly audit: AuditService,
    private readonly revocations: RevocationPublisher,
  ) {
    this.keys = parseSigningKeys(guard.JWT_KEYS);
  }

  async start(user: UserEntity): Promise<TokenPair> {
    return this.issue(user, randomUUID());
  }

  async refresh(presented: string, ip: string | undefined): Promise<TokenPair> {
    const token = await this.tokens.findOne({ where: { tokenHash: hashSecret(presented) } });
    if (!token || token.revokedAt || token.expiresAt.getTime() <= Date.now()) throw ApiError.unauthorized('The refresh token is invalid or expired', 'invalid_refresh_token');
    // spend it atomically: of two concurrent refreshes with one token, exactly one wins
    const spent = await this.tokens.update({ id: token.id, usedAt: IsNull() }, { usedAt: new Date() });
    if (!spent.affected) {
      await this.revokeFamily(token.familyId);
      await this.audit.record('refresh.reuse_detected', { userId: token.userId, credentialId: token.familyId, ip });
      throw ApiError.unauthorized('This refresh token was already used; the session has been revoked', 'refresh_token_reused');
    }
    const user = await this.users.findOne({ where: { id: token.userId } });
    if (!user || user.disabled) throw ApiError.unauthorized('The account is disabled', 'account_disabled');
    return this.issue(user, token.familyId);
  }

  async logout(presented: string, ip: string | undefined): Promise<void> {
    const token = await this.tokens.findOne({ where: { tokenHash: hashSecret(presented) } });
    if (!token) return;
    await this.revokeFamily(token.familyId);
    await this.audit.record('session.logged_out', { userId: token.userId, credentialId: token.familyId, ip });
  }

  /** ends every session of a user (disabled, role changed) */
  async revokeUser(userId: string): Promise<void> {
    await this.tokens.update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    await this.revocations.revoke('user', userId);
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.tokens.update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
    await this.revocations.revoke('session', familyId);
  }

  private async issue(user: UserEntity, familyId: string): Promise<TokenPair> {
    const { token, tokenHash } = generateRefreshToken();
    const expiresAt = new Date(Date.now() + this.config.REFRESH_TTL_DAYS * 86_400_000);
    await this.tokens.insert({ familyId, userId: user.id, tokenHash, expiresAt });
    const accessToken = signAccessToken(
      { sub: user.id, email: user.email, role: user.role, scopes: ROLE_SCOPES[user.role], sid: familyId },
      this.keys,
      this.guard.JWT_ACCESS_TTL_SECONDS,
    );
    return { accessToken, refreshToken: token, tokenType: 'Bearer', expiresIn: this.guard.JWT_ACCESS_TTL_SECONDS };
  }
}
