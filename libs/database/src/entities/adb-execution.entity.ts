import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One command run (or refused) on an Android device through the bridge or a worker: the audit trail. */
@Entity('adb_executions')
@Index('idx_adb_executions_created', ['createdAt'])
@Index('idx_adb_executions_serial_created', ['serial', 'createdAt'])
export class AdbExecutionEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column({ name: 'user_id', type: 'uuid', nullable: true }) userId: string | null;
  /** the API key id or the session (refresh family) of a JWT */
  @Column({ name: 'credential_id', type: 'varchar', length: 64, nullable: true }) credentialId: string | null;
  @Column({ type: 'varchar', length: 128 }) serial: string;
  @Column({ type: 'varchar', length: 64 }) command: string;
  @Column({ type: 'jsonb', default: () => `'[]'` }) args: string[];
  @Column({ name: 'exit_code', type: 'int', nullable: true }) exitCode: number | null;
  @Column({ name: 'duration_ms', type: 'int', default: 0 }) durationMs: number;
  @Column({ name: 'bytes_out', type: 'int', default: 0 }) bytesOut: number;
  /** completed | truncated | timeout | rejected | busy | failed */
  @Column({ type: 'varchar', length: 16 }) outcome: string;
  @Column({ name: 'error_code', type: 'varchar', length: 64, nullable: true }) errorCode: string | null;
  /** sync | async */
  @Column({ type: 'varchar', length: 8, default: 'sync' }) mode: string;
  @Column({ name: 'job_id', type: 'varchar', length: 100, nullable: true }) jobId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
