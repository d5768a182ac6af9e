import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Operator settings changed at runtime (routing policy, scaling policy), one JSON value per key. */
@Entity('settings')
export class SettingEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 }) key: string;
  @Column({ type: 'jsonb' }) value: Record<string, unknown>;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
