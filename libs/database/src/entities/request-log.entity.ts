import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One upstream call: what it cost and how it went (the seed's `request_logs`). */
@Entity('request_logs')
@Index('idx_request_logs_instance_created', ['instanceId', 'createdAt'])
@Index('idx_request_logs_user_created', ['userId', 'createdAt'])
@Index('idx_request_logs_user_id', ['userId', 'id'])
@Index('idx_request_logs_api_key_id', ['apiKeyId', 'id'])
@Index('idx_request_logs_created', ['createdAt'])
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
  /** the x-request-id of the client's request (the job's, for a queued call) */
  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true }) requestId: string | null;
  /** the public route the call came in by, e.g. `/api/v1/chat/completions` */
  @Column({ type: 'varchar', length: 64, nullable: true }) route: string | null;
  /** why the call failed, without credentials (safeUpstreamText); null on success */
  @Column({ type: 'varchar', length: 300, nullable: true }) error: string | null;
  /** `{request, response}` with REQUEST_LOG_BODIES=true, credentials taken out; nulled after REQUEST_LOG_BODIES_DAYS */
  @Column({ type: 'jsonb', nullable: true }) bodies: RequestLogBodies | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** A call's prompt and reply as kept in the request log (admins only). */
export interface RequestLogBodies {
  request: unknown;
  response: unknown;
}
