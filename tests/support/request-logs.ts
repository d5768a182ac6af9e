import type { DataSource } from 'typeorm';

/** One `request_logs` row as a test writes it; `ageSeconds` puts it that far before now, `at` at a fixed time. */
export interface TestRequestLog {
  instanceId?: string | null;
  userId?: string | null;
  apiKeyId?: string | null;
  model?: string;
  providerType?: string | null;
  promptTokens?: number;
  completionTokens?: number;
  costUsd?: number;
  unpriced?: boolean;
  latencyMs?: number;
  outcome?: string;
  ageSeconds?: number;
  at?: Date;
}

/** Writes rows straight into `request_logs` (as relay and worker would) and answers their ids, for cleaning up. */
export async function insertRequestLogs(db: DataSource, rows: readonly TestRequestLog[]): Promise<string[]> {
  const ids: string[] = [];
  for (const row of rows) {
    const createdAt = row.at ?? new Date(Date.now() - (row.ageSeconds ?? 0) * 1000);
    const [inserted] = (await db.query(
      `INSERT INTO request_logs (instance_id, user_id, api_key_id, model, provider_type, prompt_tokens, completion_tokens, cost_usd, unpriced, latency_ms, outcome, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [
        row.instanceId ?? null,
        row.userId ?? null,
        row.apiKeyId ?? null,
        row.model ?? 'gpt-4o',
        row.providerType ?? 'openai-compatible',
        row.promptTokens ?? 0,
        row.completionTokens ?? 0,
        row.costUsd ?? 0,
        row.unpriced ?? false,
        row.latencyMs ?? 100,
        row.outcome ?? 'success',
        createdAt,
      ],
    )) as { id: string }[];
    ids.push(inserted.id);
  }
  return ids;
}

export async function deleteRequestLogs(db: DataSource, ids: readonly string[]): Promise<void> {
  await db.query('DELETE FROM request_logs WHERE id = ANY($1)', [ids]);
}
