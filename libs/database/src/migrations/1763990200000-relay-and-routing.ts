import { MigrationInterface, QueryRunner } from 'typeorm';

export class RelayAndRouting1763990200000 implements MigrationInterface {
  name = 'RelayAndRouting1763990200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE conversations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        title varchar(200),
        system_prompt text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idx_conversations_user_updated ON conversations (user_id, updated_at)`);
    await queryRunner.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        role varchar(16) NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
        content text NOT NULL,
        model varchar(200),
        instance_id uuid,
        prompt_tokens int,
        completion_tokens int,
        created_at timestamptz(6) NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`CREATE INDEX idx_messages_conversation_created ON messages (conversation_id, created_at)`);
    await queryRunner.query(`
      CREATE TABLE settings (
        key varchar(64) PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE scaling_events (
        id bigserial PRIMARY KEY,
        direction varchar(8) NOT NULL CHECK (direction IN ('up', 'down')),
        instance_id uuid,
        instance_name varchar(100),
        utilization double precision NOT NULL,
        reason varchar(300) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idx_scaling_events_created ON scaling_events (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE scaling_events`);
    await queryRunner.query(`DROP TABLE settings`);
    await queryRunner.query(`DROP TABLE messages`);
    await queryRunner.query(`DROP TABLE conversations`);
  }
}
