import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each hourly figure and how it sums `request_logs` rows (as in RequestLogDetails1764720000000). */
const FIGURES: [column: string, sum: string][] = [
  ['requests', `count(*)`],
  ['errors', `count(*) FILTER (WHERE outcome <> 'success')`],
  ['prompt_tokens', `coalesce(sum(prompt_tokens), 0)`],
  ['completion_tokens', `coalesce(sum(completion_tokens), 0)`],
  ['cost_usd', `coalesce(sum(cost_usd), 0)`],
  ['unpriced_requests', `count(*) FILTER (WHERE unpriced)`],
];
const BUCKET = `date_trunc('hour', created_at, 'UTC')`;
const TABLES: { table: string; key: string[] }[] = [
  { table: 'request_log_hourly', key: ['user_id', 'api_key_id', 'instance_id', 'model', 'provider_type'] },
  { table: 'request_log_hourly_totals', key: ['instance_id', 'model', 'provider_type'] },
];

/** Adds (or, with '-', takes away) the rows of the transition table `source` to their hours in `table`, in key order so concurrent batches never deadlock. */
function upsert(table: string, key: string[], source: string, sign: '' | '-'): string {
  const positions = key.map((_, i) => i + 2).join(', ');
  return `INSERT INTO ${table} AS h (bucket, ${key.join(', ')}, ${FIGURES.map(([column]) => column).join(', ')})
      SELECT ${BUCKET}, ${key.join(', ')}, ${FIGURES.map(([, sum]) => `${sign}${sum}`).join(', ')}
      FROM ${source} GROUP BY 1, ${positions} ORDER BY 1, ${positions}
      ON CONFLICT (bucket, ${key.join(', ')}) DO UPDATE SET ${FIGURES.map(([column]) => `${column} = h.${column} + excluded.${column}`).join(', ')}`;
}

const emptied = (table: string) =>
  `DELETE FROM ${table} WHERE requests <= 0 AND bucket BETWEEN (SELECT min(${BUCKET}) FROM rows) AND (SELECT max(${BUCKET}) FROM rows)`;

/**
 * Everyone's calls per hour by instance and model: what an admin's GET /api/v1/usage by model or
 * instance reads, a few rows an hour however many users and keys call (request_log_hourly holds one
 * per user, key, instance and model). The same triggers keep both tables.
 */
export class RequestLogHourlyTotals1764720100000 implements MigrationInterface {
  name = 'RequestLogHourlyTotals1764720100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE request_log_hourly_totals (
        bucket timestamptz NOT NULL,
        instance_id uuid,
        model varchar(200) NOT NULL,
        provider_type varchar(32),
        requests int NOT NULL,
        errors int NOT NULL,
        prompt_tokens double precision NOT NULL,
        completion_tokens double precision NOT NULL,
        cost_usd double precision NOT NULL,
        unpriced_requests int NOT NULL,
        CONSTRAINT uq_request_log_hourly_totals UNIQUE NULLS NOT DISTINCT (bucket, instance_id, model, provider_type)
      )`);
    await queryRunner.query(`INSERT INTO request_log_hourly_totals (bucket, instance_id, model, provider_type, ${FIGURES.map(([column]) => column).join(', ')})
      SELECT bucket, instance_id, model, provider_type, ${FIGURES.map(([column]) => `sum(${column})`).join(', ')}
      FROM request_log_hourly GROUP BY 1, 2, 3, 4`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION request_log_hourly_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${TABLES.map(({ table, key }) => `${upsert(table, key, 'rows', '')};`).join('\n        ')}
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION request_log_hourly_remove() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${TABLES.map(({ table, key }) => `${upsert(table, key, 'rows', '-')};\n        ${emptied(table)};`).join('\n        ')}
        RETURN NULL;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const [fine] = TABLES;
    await queryRunner.query(`CREATE OR REPLACE FUNCTION request_log_hourly_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${upsert(fine.table, fine.key, 'rows', '')};
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION request_log_hourly_remove() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${upsert(fine.table, fine.key, 'rows', '-')};
        ${emptied(fine.table)};
        RETURN NULL;
      END $$`);
    await queryRunner.query(`DROP TABLE request_log_hourly_totals`);
  }
}
