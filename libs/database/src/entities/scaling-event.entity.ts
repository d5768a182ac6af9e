import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One decision of the standby scaler: which instance went up or down, and why. */
@Entity('scaling_events')
@Index('idx_scaling_events_created', ['createdAt'])
export class ScalingEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  /** up | down */
  @Column({ type: 'varchar', length: 8 }) direction: string;
  @Column({ name: 'instance_id', type: 'uuid', nullable: true }) instanceId: string | null;
  @Column({ name: 'instance_name', type: 'varchar', length: 100, nullable: true }) instanceName: string | null;
  @Column({ type: 'double precision' }) utilization: number;
  @Column({ type: 'varchar', length: 300 }) reason: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
