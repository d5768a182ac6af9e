import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each figure of `request_log_hourly` and how it sums `request_logs` rows. */
const HOURLY_FIGURES: [column: string, sum: string][] = [
  ['requests', `count(*)`],
  ['errors', `count(*) FILTER (WHERE outcome <> 'success')`],
  ['prompt_tokens', `coalesce(sum(prompt_tokens), 0)`],
  ['completion_tokens', `coalesce(sum(completion_tokens), 0)`],
  ['cost_usd', `coalesce(sum(cost_usd), 0)`],
  ['unpriced_requests', `count(*) FILTER (WHERE unpriced)`],
];
const HOURLY_BUCKET = `date_trunc('hour', created_at, 'UTC')`;
const HOURLY_KEY = `bucket, user_id, api_key_id, instance_id, model, provider_type`;
const HOURLY_COLUMNS = `${HOURLY_KEY}, ${HOURLY_FIGURES.map(([column]) => column).join(', ')}`;
const hourlySelect = (sign: '' | '-') =>
  `SELECT ${HOURLY_BUCKET}, user_id, api_key_id, instance_id, model, provider_type, ${HOURLY_FIGURES.map(([, sum]) => `${sign}${sum}`).join(', ')}`;

/** Adds (or, with '-', takes away) the rows of a statement's transition table `rows` to their hours; in key order, so concurrent batches never deadlock. */
function hourlyUpsert(sign: '' | '-'): string {
  return `INSERT INTO request_log_hourly AS h (${HOURLY_COLUMNS})
      ${hourlySelect(sign)} FROM rows GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
      ON CONFLICT (${HOURLY_KEY}) DO UPDATE SET ${HOURLY_FIGURES.map(([column]) => `${column} = h.${column} + excluded.${column}`).join(', ')}`;
}

/**
 * Issue 22: what GET /api/v1/logs answers (request id, route, error, bodies when kept), the indexes its
 * pages and the retention sweep use, and `request_log_hourly`, the per-hour figures GET /api/v1/usage
 * reads: kept by statement triggers, so usage stays fast at millions of rows and always equals the log.
 */
export class RequestLogDetails1764720000000 implements MigrationInterface {
  name = 'RequestLogDetails1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE request_logs
      ADD COLUMN request_id varchar(128),
      ADD COLUMN route varchar(64),
      ADD COLUMN error varchar(300),
      ADD COLUMN bodies jsonb`);
    // newest first, own or one key's (keyset on id); the range scans of reports and retention
    await queryRunner.query(`CREATE INDEX idx_request_logs_user_id ON request_logs (user_id, id)`);
    await queryRunner.query(`CREATE INDEX idx_request_logs_api_key_id ON request_logs (api_key_id, id)`);
    await queryRunner.query(`CREATE INDEX idx_request_logs_created ON request_logs (created_at)`);
    await queryRunner.query(`CREATE INDEX idx_request_logs_bodies_created ON request_logs (created_at) WHERE bodies IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE request_log_hourly (
        bucket timestamptz NOT NULL,
        user_id uuid,
        api_key_id uuid,
        instance_id uuid,
        model varchar(200) NOT NULL,
        provider_type varchar(32),
        requests int NOT NULL,
        errors int NOT NULL,
        -- double precision: sums of it are several times faster than of bigint or numeric (exact to 2^53 tokens; cost rounded to 6 decimals when read)
        prompt_tokens double precision NOT NULL,
        completion_tokens double precision NOT NULL,
        cost_usd double precision NOT NULL,
        unpriced_requests int NOT NULL,
        CONSTRAINT uq_request_log_hourly UNIQUE NULLS NOT DISTINCT (bucket, user_id, api_key_id, instance_id, model, provider_type)
      )`);
    await queryRunner.query(`CREATE INDEX idx_request_log_hourly_user ON request_log_hourly (user_id, bucket)`);
    await queryRunner.query(`INSERT INTO request_log_hourly (${HOURLY_COLUMNS}) ${hourlySelect('')} FROM request_logs GROUP BY 1, 2, 3, 4, 5, 6`);
    await queryRunner.query(`CREATE FUNCTION request_log_hourly_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${hourlyUpsert('')};
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE FUNCTION request_log_hourly_remove() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${hourlyUpsert('-')};
        DELETE FROM request_log_hourly WHERE requests <= 0
          AND bucket BETWEEN (SELECT min(${HOURLY_BUCKET}) FROM rows) AND (SELECT max(${HOURLY_BUCKET}) FROM rows);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER request_logs_hourly_insert AFTER INSERT ON request_logs REFERENCING NEW TABLE AS rows FOR EACH STATEMENT EXECUTE FUNCTION request_log_hourly_add()`);
    await queryRunner.query(`CREATE TRIGGER request_logs_hourly_delete AFTER DELETE ON request_logs REFERENCING OLD TABLE AS rows FOR EACH STATEMENT EXECUTE FUNCTION request_log_hourly_remove()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER request_logs_hourly_delete ON request_logs`);
    await queryRunner.query(`DROP TRIGGER request_logs_hourly_insert ON request_logs`);
    await queryRunner.query(`DROP FUNCTION request_log_hourly_remove()`);
    await queryRunner.query(`DROP FUNCTION request_log_hourly_add()`);
    await queryRunner.query(`DROP TABLE request_log_hourly`);
    await queryRunner.query(`DROP INDEX idx_request_logs_bodies_created`);
    await queryRunner.query(`DROP INDEX idx_request_logs_created`);
    await queryRunner.query(`DROP INDEX idx_request_logs_api_key_id`);
    await queryRunner.query(`DROP INDEX idx_request_logs_user_id`);
    await queryRunner.query(`ALTER TABLE request_logs DROP COLUMN bodies, DROP COLUMN error, DROP COLUMN route, DROP COLUMN request_id`);
  }
}
