import { MigrationInterface, QueryRunner } from 'typeorm';

export class Android1763990300000 implements MigrationInterface {
  name = 'Android1763990300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE adb_executions (
        id bigserial PRIMARY KEY,
        user_id uuid,
        credential_id varchar(64),
        serial varchar(128) NOT NULL,
        command varchar(64) NOT NULL,
        args jsonb NOT NULL DEFAULT '[]',
        exit_code int,
        duration_ms int NOT NULL DEFAULT 0,
        bytes_out int NOT NULL DEFAULT 0,
        outcome varchar(16) NOT NULL CHECK (outcome IN ('completed', 'truncated', 'timeout', 'rejected', 'busy', 'failed')),
        error_code varchar(64),
        mode varchar(8) NOT NULL DEFAULT 'sync' CHECK (mode IN ('sync', 'async')),
        job_id varchar(100),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idx_adb_executions_created ON adb_executions (created_at)`);
    await queryRunner.query(`CREATE INDEX idx_adb_executions_serial_created ON adb_executions (serial, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE adb_executions`);
  }
}
