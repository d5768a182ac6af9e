import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-instance protocol settings (anthropicVersion, defaultMaxTokens, Azure apiVersion and
 * deployments, prices) in one jsonb, and a mark on request-log rows whose model had no price.
 */
export class InstanceSettings1764400000000 implements MigrationInterface {
  name = 'InstanceSettings1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ai_instances ADD COLUMN settings jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await queryRunner.query(`ALTER TABLE request_logs ADD COLUMN unpriced boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE request_logs DROP COLUMN unpriced`);
    await queryRunner.query(`ALTER TABLE ai_instances DROP COLUMN settings`);
  }
}
