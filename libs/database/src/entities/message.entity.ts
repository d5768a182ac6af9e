import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('messages')
@Index('idx_messages_conversation_created', ['conversationId', 'createdAt'])
export class MessageEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'conversation_id', type: 'uuid' }) conversationId: string;
  /** system | user | assistant */
  @Column({ type: 'varchar', length: 16 }) role: string;
  @Column({ type: 'text' }) content: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) model: string | null;
  @Column({ name: 'instance_id', type: 'uuid', nullable: true }) instanceId: string | null;
  @Column({ name: 'prompt_tokens', type: 'int', nullable: true }) promptTokens: number | null;
  @Column({ name: 'completion_tokens', type: 'int', nullable: true }) completionTokens: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 6 }) createdAt: Date;
}
