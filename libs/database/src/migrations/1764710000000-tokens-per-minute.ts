import { MigrationInterface, QueryRunner } from 'typeorm';

/** Governance: prompt + completion tokens per minute of an API key (NULL: no limit). */
export class TokensPerMinute1764710000000 implements MigrationInterface {
  name = 'TokensPerMinute1764710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE api_keys ADD COLUMN tokens_per_minute integer`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE api_keys DROP COLUMN tokens_per_minute`);
  }
}
