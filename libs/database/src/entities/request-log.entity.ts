import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One upstream call: what it cost and how it went (the seed's `request_logs`). */
@Entity('request_logs')
@Index('idx_request_logs_instance_created', ['instanceId', 'createdAt'])
@Index('idx_request_logs_user_created', ['userId', 'createdAt'])
export class RequestLogEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column({ name: 'instance_id', type: 'uuid', nullable: true }) instanceId: string | null;
  @Column({ name: 'user_id', type: 'uuid', nullable: true }) userId: string | null;
  @Column({ name: 'api_key_id', type: 'uuid', nullable: true }) apiKeyId: string | null;
  @Column({ type: 'varchar', length: 200 }) model: string;
  @Column({ name: 'provider_type', type: 'varchar', length: 32, nullable: true }) providerType: string | null;
  @Column({ name: 'prompt_tokens', type: 'int', default: 0 }) promptTokens: number;
  @Column({ name: 'completion_tokens', type: 'int', default: 0 }) completionTokens: number;
  @Column({ name: 'cost_usd', type: 'numeric', precision: 14, scale: 6, default: 0 }) costUsd: string;
  /** no price was known for the model (neither the instance's nor the built-in table's): costUsd is 0 */
  @Column({ type: 'boolean', default: false }) unpriced: boolean;
  @Column({ name: 'latency_ms', type: 'int' }) latencyMs: number;
  /** success | upstream_error | timeout | rate_limited | client_error */
  @Column({ type: 'varchar', length: 32 }) outcome: string;
  @Column({ name: 'status_code', type: 'int', nullable: true }) statusCode: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
