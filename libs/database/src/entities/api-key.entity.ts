import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Scope } from '@ish/contracts';

@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index('idx_api_keys_user') @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ type: 'varchar', length: 100 }) name: string;
  /** the first characters of the key, enough to recognise it in a list */
  @Column({ type: 'varchar', length: 16 }) prefix: string;
  /** SHA-256 hex of the key: keys are 256-bit random, so a fast hash is enough */
  @Index('uq_api_keys_hash', { unique: true }) @Column({ name: 'key_hash', type: 'char', length: 64 }) keyHash: string;
  @Column({ type: 'jsonb' }) scopes: Scope[];
  @Column({ name: 'rate_limit_per_minute', type: 'int', nullable: true }) rateLimitPerMinute: number | null;
  /** model ids, aliases or `provider/*` this key may call; null: every model (its user's list still caps it) */
  @Column({ name: 'allowed_models', type: 'jsonb', nullable: true }) allowedModels: string[] | null;
  /** prompt + completion tokens per minute; null or 0: no limit */
  @Column({ name: 'tokens_per_minute', type: 'int', nullable: true }) tokensPerMinute: number | null;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  /** set on the key that ISH_ADMIN_API_KEY provides */
  @Column({ type: 'boolean', default: false }) bootstrap: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
