import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Roles `user` / `operator` / `admin` (existing users keep theirs), and a mark on the account the
 * ISH_ADMIN_API_KEY bootstrap made, so it never takes over an account someone registered.
 */
export class RolesAndBootstrapAdmin1764100000000 implements MigrationInterface {
  name = 'RolesAndBootstrapAdmin1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check`);
    await queryRunner.query(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'operator', 'user'))`);
    await queryRunner.query(`ALTER TABLE users ADD COLUMN bootstrap boolean NOT NULL DEFAULT false`);
    // registration always sets a password: an account without one can only be the bootstrap's
    await queryRunner.query(`UPDATE users SET bootstrap = true WHERE password_hash IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP COLUMN bootstrap`);
    await queryRunner.query(`UPDATE users SET role = 'user' WHERE role = 'operator'`);
    await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check`);
    await queryRunner.query(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'user'))`);
  }
}
