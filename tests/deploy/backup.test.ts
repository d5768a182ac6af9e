import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DATABASE_URL, REPO_ROOT } from '@ish/test-support';
import { run } from './support/tools';

const BACKUP = resolve(REPO_ROOT, 'tools/backup/backup.sh');
const RESTORE = resolve(REPO_ROOT, 'tools/backup/restore.sh');

function databaseUrl(name: string): string {
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs SQL with psql against `url`; returns the unaligned, tuples-only output. */
function psql(url: string, statement: string): string {
  return run('psql', ['--no-psqlrc', '-v', 'ON_ERROR_STOP=1', '-At', '-d', url, '-c', statement]).trim();
}

describe('tools/backup: pg_dump -Fc / pg_restore round trip', () => {
  const suffix = `${process.pid}_${Date.now()}`;
  const source = `ish_backup_src_${suffix}`;
  const target = `ish_backup_dst_${suffix}`;
  const dir = mkdtempSync(join(tmpdir(), 'ish-backup-'));

  beforeAll(() => {
    psql(DATABASE_URL, `CREATE DATABASE ${source}`);
    psql(DATABASE_URL, `CREATE DATABASE ${target}`);
    psql(databaseUrl(source), 'CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())');
    psql(databaseUrl(source), "INSERT INTO notes (body) SELECT 'note ' || n FROM generate_series(1, 250) AS n");
    psql(databaseUrl(source), "INSERT INTO notes (body) VALUES ('ünïcode ✓ and ''quotes''')");
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    for (const name of [source, target]) psql(DATABASE_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('backs up a database and restores it into another, rows and sequences included', () => {
    const dump = join(dir, 'nested', 'notes.dump');
    const printed = run('bash', [BACKUP, dump], { env: { ...process.env, DATABASE_URL: databaseUrl(source) } }).trim();
    expect(printed).toBe(dump);
    expect(statSync(dump).size).toBeGreaterThan(0);
    expect(statSync(dump).mode & 0o777).toBe(0o600);
    expect(existsSync(`${dump}.partial`)).toBe(false);
    expect(run('pg_restore', ['--list', dump])).toContain('TABLE public notes');

    expect(run('bash', [RESTORE, dump], { env: { ...process.env, DATABASE_URL: databaseUrl(target) } })).toContain(`restored ${dump}`);

    expect(psql(databaseUrl(target), "SELECT count(*) || '|' || max(body) FILTER (WHERE body LIKE 'ünïcode%') FROM notes")).toBe("251|ünïcode ✓ and 'quotes'");
    // the sequence came along: a new row continues after the restored ones
    expect(psql(databaseUrl(target), "INSERT INTO notes (body) VALUES ('after restore') RETURNING id")).toMatch(/^252\b/);
  });

  it('names the dump after the database and the time when no file is given', () => {
    const out = run('bash', [BACKUP], { env: { ...process.env, DATABASE_URL: databaseUrl(source), BACKUP_DIR: dir } }).trim();
    expect(out).toMatch(new RegExp(`^${dir}/ish-${source}-\\d{8}T\\d{6}Z\\.dump$`));
    expect(statSync(out).size).toBeGreaterThan(0);
  });

  it('refuses to restore over existing tables without --clean, restoring nothing (one transaction)', () => {
    const dump = join(dir, 'again.dump');
    run('bash', [BACKUP, dump], { env: { ...process.env, DATABASE_URL: databaseUrl(source) } });
    expect(() => run('bash', [RESTORE, dump], { env: { ...process.env, DATABASE_URL: databaseUrl(target) } })).toThrow(/already exists/);
    // the target still holds its own rows, untouched
    expect(psql(databaseUrl(target), 'SELECT count(*) FROM notes')).toBe('252');
    // with --clean the dump replaces them
    run('bash', [RESTORE, '--clean', dump], { env: { ...process.env, DATABASE_URL: databaseUrl(target) } });
    expect(psql(databaseUrl(target), 'SELECT count(*) FROM notes')).toBe('251');
  });

  it('fails clearly without DATABASE_URL or with a file that is not a dump', () => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    expect(() => run('bash', [BACKUP, join(dir, 'x.dump')], { env })).toThrow(/DATABASE_URL is not set/);
    expect(() => run('bash', [RESTORE, BACKUP], { env: { ...process.env, DATABASE_URL: databaseUrl(target) } })).toThrow(/not a pg_dump custom-format archive/);
  });
});
