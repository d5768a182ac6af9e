import { MigrationInterface, QueryRunner } from 'typeorm';

/** Governance: which models an API key or a user may call (NULL: every model). */
export class AllowedModels1764600000000 implements MigrationInterface {
  name = 'AllowedModels1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE api_keys ADD COLUMN allowed_models jsonb`);
    await queryRunner.query(`ALTER TABLE users ADD COLUMN allowed_models jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP COLUMN allowed_models`);
    await queryRunner.query(`ALTER TABLE api_keys DROP COLUMN allowed_models`);
  }
}
