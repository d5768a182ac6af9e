import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Budget, Role } from '@ish/contracts';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** stored lower-cased; unique */
  @Index('uq_users_email', { unique: true }) @Column({ type: 'varchar', length: 254 }) email: string;
  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true }) passwordHash: string | null;
  @Column({ type: 'varchar', length: 16, default: 'user' }) role: Role;
  @Column({ type: 'boolean', default: false }) disabled: boolean;
  /** model ids, aliases or `provider/*` this user (and so every key of theirs) may call; null: every model */
  @Column({ name: 'allowed_models', type: 'jsonb', nullable: true }) allowedModels: string[] | null;
  /** what this user (all their keys and sessions together) may spend per period, set by an admin; null: no budget */
  @Column({ type: 'jsonb', nullable: true }) budget: Budget | null;
  /** made by the ISH_ADMIN_API_KEY bootstrap (never by registration): the only account it may promote */
  @Column({ type: 'boolean', default: false }) bootstrap: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
