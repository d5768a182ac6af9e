import type { RequestLogEntry } from '@ish/contracts';
/** Which entries a page of GET /api/v1/logs holds. */
export interface RequestLogFilter {
  /** only this user's calls; absent: everyone's (admins) */
  userId?: string;
  /** entries older than this one (its id): the keyset cursor */
  before?: string;
  limit: number;
  model?: string;
  /** `success`, `error` (any other outcome) or an HTTP status code */
  status?: string;
  apiKeyId?: string;
}

/** The columns of an entry over `request_logs`, named as RequestLogEntry. */
export const REQUEST_LOG_ENTRY_SQL = `id::text AS id, created_at AS "createdAt", request_id AS "requestId", route, model,
  provider_type AS provider, instance_id AS "instanceId", api_key_id AS "apiKeyId", status_code AS status, outcome,
  latency_ms AS "latencyMs", prompt_tokens AS "promptTokens", completion_tokens AS "completionTokens",
  cost_usd::float8 AS "costUsd", error`;

export type RequestLogEntryRow = Omit<RequestLogEntry, 'createdAt' | 'error'> & { createdAt: Date; error: string | null };

export function toRequestLogEntry({ createdAt, error, ...row }: RequestLogEntryRow): RequestLogEntry {
  return { ...row, createdAt: createdAt.toISOString(), ...(error === null ? {} : { error }) };
}

/** The WHERE clause and parameters of a page: every condition a column an index leads with or a cheap filter. */
export function requestLogConditions(filter: Omit<RequestLogFilter, 'limit'>): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (filter.userId) add((p) => `user_id = ${p}`, filter.userId);
  if (filter.apiKeyId) add((p) => `api_key_id = ${p}`, filter.apiKeyId);
  if (filter.before) add((p) => `id < ${p}::bigint`, filter.before);
  if (filter.model) add((p) => `model = ${p}`, filter.model);
  if (filter.status === 'success') conditions.push(`outcome = 'success'`);
  else if (filter.status === 'error') conditions.push(`outcome <> 'success'`);
  else if (filter.status) add((p) => `status_code = ${p}::int`, Number(filter.status));
  return { where: conditions.length > 0 ? conditions.join(' AND ') : 'true', params };
}
