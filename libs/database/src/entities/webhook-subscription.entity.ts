import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { WebhookEventFilter } from '@ish/contracts';

/** the table of WebhookSubscriptionEntity; its `secretEncrypted` is sealed for `webhook_subscriptions:<id>` (SecretBox) */
export const WEBHOOK_SUBSCRIPTIONS_TABLE = 'webhook_subscriptions';

/** An endpoint a user receives events at, with its signing secret (sealed) and its failure record. */
@Entity(WEBHOOK_SUBSCRIPTIONS_TABLE)
export class WebhookSubscriptionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index('idx_webhook_subscriptions_user') @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ type: 'varchar', length: 2048 }) url: string;
  @Column({ type: 'jsonb' }) events: WebhookEventFilter[];
  @Column({ type: 'varchar', length: 500, nullable: true }) description: string | null;
  /** the `whsec_…` secret, AES-256-GCM sealed (libs/webhooks WebhookSecrets); the worker opens it to sign */
  @Column({ name: 'secret_encrypted', type: 'text' }) secretEncrypted: string;
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true }) disabledAt: Date | null;
  @Column({ name: 'disabled_reason', type: 'varchar', length: 200, nullable: true }) disabledReason: string | null;
  /** deliveries in a row that failed after their last retry; a delivered one resets it */
  @Column({ name: 'consecutive_failures', type: 'int', default: 0 }) consecutiveFailures: number;
  /** when the first of those failed deliveries failed */
  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true }) failingSince: Date | null;
  @Column({ name: 'last_success_at', type: 'timestamptz', nullable: true }) lastSuccessAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
