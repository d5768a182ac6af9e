import { MigrationInterface, QueryRunner } from 'typeorm';

/** Governance: what an API key or a user may spend per period, `{"limitUsd","period"}` (NULL: no budget). */
export class Budgets1764700000000 implements MigrationInterface {
  name = 'Budgets1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE api_keys ADD COLUMN budget jsonb`);
    await queryRunner.query(`ALTER TABLE users ADD COLUMN budget jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP COLUMN budget`);
    await queryRunner.query(`ALTER TABLE api_keys DROP COLUMN budget`);
  }
}
