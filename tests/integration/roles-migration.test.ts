// The roles migration on a database that already has users: admins stay admins, users stay users,
// the account the bootstrap made (the only kind without a password) is marked as such so an
// upgraded system still starts, and the role column takes `operator`. A database of its own on the
// test stack's PostgreSQL, dropped afterwards.
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS, dataSourceOptions } from '@ish/database';
import { DATABASE_URL } from '@ish/test-support';

const NAME = `ish_roles_migration_${randomBytes(4).toString('hex')}`;
const url = DATABASE_URL.replace(/\/[^/]+$/, `/${NAME}`);

async function withDatabase<T>(target: string, work: (db: DataSource) => Promise<T>, migrations = ALL_MIGRATIONS): Promise<T> {
  const db = new DataSource({ ...dataSourceOptions(target), migrations });
  await db.initialize();
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

describe('roles migration', () => {
  beforeAll(() => withDatabase(DATABASE_URL, (db) => db.query(`CREATE DATABASE ${NAME}`)));
  afterAll(() => withDatabase(DATABASE_URL, (db) => db.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`)));

  it('keeps every role, marks the bootstrap account, and accepts operator', async () => {
    const rolesAt = ALL_MIGRATIONS.findIndex((m) => m.name === 'RolesAndBootstrapAdmin1764100000000');
    expect(rolesAt).toBeGreaterThan(0);
    // the schema as it was before roles
    await withDatabase(url, async (db) => {
      await db.runMigrations({ transaction: 'each' });
      await db.query(`INSERT INTO users (email, password_hash, role) VALUES
        ('admin@ish.local', NULL, 'admin'), ('promoted@example.com', '$argon2id$x', 'admin'), ('plain@example.com', '$argon2id$y', 'user')`);
      await expect(db.query(`UPDATE users SET role = 'operator' WHERE email = 'plain@example.com'`)).rejects.toThrow(/check constraint/);
    }, ALL_MIGRATIONS.slice(0, rolesAt));

    await withDatabase(url, async (db) => {
      const applied = await db.runMigrations({ transaction: 'each' });
      expect(applied.map((m) => m.name)).toContain('RolesAndBootstrapAdmin1764100000000');
      expect(await db.query(`SELECT email, role, bootstrap FROM users ORDER BY email`)).toEqual([
        { email: 'admin@ish.local', role: 'admin', bootstrap: true },
        { email: 'plain@example.com', role: 'user', bootstrap: false },
        { email: 'promoted@example.com', role: 'admin', bootstrap: false },
      ]);
      await db.query(`UPDATE users SET role = 'operator' WHERE email = 'plain@example.com'`);
      await expect(db.query(`UPDATE users SET role = 'root' WHERE email = 'plain@example.com'`)).rejects.toThrow(/check constraint/);
      // and back down: the migrations after it first, then the roles migration itself
      for (let i = ALL_MIGRATIONS.length - 1; i >= rolesAt; i--) await db.undoLastMigration({ transaction: 'each' });
      expect(await db.query(`SELECT email, role FROM users WHERE email = 'plain@example.com'`)).toEqual([{ email: 'plain@example.com', role: 'user' }]);
    });
  });
});
