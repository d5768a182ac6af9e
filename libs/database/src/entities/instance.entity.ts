import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { InstanceSettings, InstanceStatus, ProviderType } from '@ish/contracts';

/** the table of InstanceEntity; its `apiKeyEncrypted` is sealed for `ai_instances:<id>` (SecretBox) */
export const INSTANCES_TABLE = 'ai_instances';

/** A provider endpoint an operator owns (table of the seed's `ai_instances`). */
@Entity(INSTANCES_TABLE)
export class InstanceEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @Index('idx_ai_instances_provider_type') @Column({ name: 'provider_type', type: 'varchar', length: 32 }) providerType: ProviderType;
  @Column({ name: 'base_url', type: 'varchar', length: 2048 }) baseUrl: string;
  /** AES-256-GCM ciphertext of the provider key; never leaves the instance-manager unencrypted in a response */
  @Column({ name: 'api_key_encrypted', type: 'text', nullable: true }) apiKeyEncrypted: string | null;
  @Column({ type: 'jsonb', default: () => `'[]'` }) models: string[];
  @Column({ type: 'int', default: 1 }) weight: number;
  @Column({ type: 'int', default: 0 }) priority: number;
  @Column({ name: 'max_concurrency', type: 'int', default: 10 }) maxConcurrency: number;
  @Column({ name: 'timeout_ms', type: 'int', default: 30000 }) timeoutMs: number;
  @Column({ type: 'boolean', default: false }) standby: boolean;
  /** protocol settings and prices (API.md "Instances"); unset ones are absent */
  @Column({ type: 'jsonb', default: () => `'{}'` }) settings: InstanceSettings;
  @Index('idx_ai_instances_status') @Column({ type: 'varchar', length: 16, default: 'healthy' }) status: InstanceStatus;
  @Column({ name: 'last_checked_at', type: 'timestamptz', nullable: true }) lastCheckedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
