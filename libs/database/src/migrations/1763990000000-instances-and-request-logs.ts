import { MigrationInterface, QueryRunner } from 'typeorm';

export class InstancesAndRequestLogs1763990000000 implements MigrationInterface {
  name = 'InstancesAndRequestLogs1763990000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ai_instances (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL,
        provider_type varchar(32) NOT NULL,
        base_url varchar(2048) NOT NULL,
        api_key_encrypted text,
        models jsonb NOT NULL DEFAULT '[]',
        weight int NOT NULL DEFAULT 1,
        priority int NOT NULL DEFAULT 0,
        max_concurrency int NOT NULL DEFAULT 10,
        timeout_ms int NOT NULL DEFAULT 30000,
        standby boolean NOT NULL DEFAULT false,
        status varchar(16) NOT NULL DEFAULT 'healthy',
        last_checked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idx_ai_instances_provider_type ON ai_instances (provider_type)`);
    await queryRunner.query(`CREATE INDEX idx_ai_instances_status ON ai_instances (status)`);
    await queryRunner.query(`
      CREATE TABLE request_logs (
        id bigserial PRIMARY KEY,
        instance_id uuid,
        user_id uuid,
        api_key_id uuid,
        model varchar(200) NOT NULL,
        provider_type varchar(32),
        prompt_tokens int NOT NULL DEFAULT 0,
        completion_tokens int NOT NULL DEFAULT 0,
        cost_usd numeric(14,6) NOT NULL DEFAULT 0,
        latency_ms int NOT NULL,
        outcome varchar(32) NOT NULL,
        status_code int,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idx_request_logs_instance_created ON request_logs (instance_id, created_at)`);
    await queryRunner.query(`CREATE INDEX idx_request_logs_user_created ON request_logs (user_id, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE request_logs`);
    await queryRunner.query(`DROP TABLE ai_instances`);
  }
}
