import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { WebhookDeliveryStatus } from '@ish/contracts';

/** One event for one subscription. Its id is the stable `webhook-id` of every attempt and the BullMQ job id. */
@Entity('webhook_deliveries')
@Index('uq_webhook_deliveries_subscription_event', ['subscriptionId', 'eventId'], { unique: true })
@Index('idx_webhook_deliveries_subscription_created', ['subscriptionId', 'createdAt'])
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'subscription_id', type: 'uuid' }) subscriptionId: string;
  /** the AMQP message id of the domain event: the same event delivered twice makes one delivery */
  @Index('idx_webhook_deliveries_event') @Column({ name: 'event_id', type: 'varchar', length: 128 }) eventId: string;
  @Column({ name: 'event_type', type: 'varchar', length: 64 }) eventType: string;
  /** the envelope's `data` */
  @Column({ type: 'jsonb' }) payload: Record<string, unknown>;
  /** the envelope's `timestamp`: when the event was published */
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt: Date;
  @Column({ type: 'varchar', length: 16, default: 'pending' }) status: WebhookDeliveryStatus;
  /** attempts over the delivery's life */
  @Column({ type: 'int', default: 0 }) attempts: number;
  /** 1, then one more per redelivery: attempts are budgeted per series */
  @Column({ type: 'int', default: 1 }) series: number;
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true }) nextAttemptAt: Date | null;
  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true }) lastAttemptAt: Date | null;
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true }) deliveredAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
