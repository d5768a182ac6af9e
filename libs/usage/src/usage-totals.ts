/** What a set of upstream calls consumed: the figures every usage report and spend check adds up. */
export interface UsageTotals {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** estimated cost; calls of an unpriced model count 0 */
  costUsd: number;
  /** calls of a model without a price (instance or built-in) */
  unpricedRequests: number;
}

export interface UsageByUser extends UsageTotals {
  userId: string;
  email: string | null;
}

export interface UsageByApiKey extends UsageTotals {
  apiKeyId: string;
  name: string | null;
  prefix: string | null;
  userId: string | null;
}

export interface UsageByModel extends UsageTotals {
  model: string;
  provider: string | null;
  /** at least one call of this model had no price */
  unpriced: boolean;
}

export interface UsageByInstance extends UsageTotals {
  instanceId: string;
  name: string | null;
}

/** What usage can be grouped by, and the row each grouping answers. */
export interface UsageRows {
  user: UsageByUser;
  apiKey: UsageByApiKey;
  model: UsageByModel;
  instance: UsageByInstance;
}
export type UsageDimension = keyof UsageRows;

/** A half-open time range [from, to). */
export interface TimeRange {
  from: Date;
  to: Date;
}

/**
 * The SQL aggregates behind UsageTotals over `request_logs l`. Cost is the sum of each call's
 * `cost_usd` (estimated when logged, 0 unpriced): `request_log_hourly` sums the same column, so usage
 * series and these totals agree.
 */
export const USAGE_TOTALS_SQL = `count(*)::int AS requests,
  coalesce(sum(l.prompt_tokens), 0)::int AS "promptTokens",
  coalesce(sum(l.completion_tokens), 0)::int AS "completionTokens",
  coalesce(sum(l.prompt_tokens + l.completion_tokens), 0)::int AS "totalTokens",
  coalesce(sum(l.cost_usd), 0)::float AS "costUsd",
  count(*) FILTER (WHERE l.unpriced)::int AS "unpricedRequests"`;

interface DimensionSql {
  /** the identifying columns of a group */
  select: string;
  join: string;
  /** which calls belong to some group of this dimension */
  where: string;
  groupBy: string;
  /** the column of the hourly figures `h` that names a group (the `key` of a usage series) */
  hourlyKey: string;
}

/** How each dimension groups `request_logs l` (totals) and `request_log_hourly h` (series); a new grouping is one more entry. */
export const USAGE_DIMENSIONS: Readonly<Record<UsageDimension, DimensionSql>> = Object.freeze({
  user: {
    select: `l.user_id AS "userId", u.email`,
    join: `LEFT JOIN users u ON u.id = l.user_id`,
    where: `l.user_id IS NOT NULL`,
    groupBy: `l.user_id, u.email`,
    hourlyKey: `h.user_id`,
  },
  apiKey: {
    select: `l.api_key_id AS "apiKeyId", k.name, k.prefix, k.user_id AS "userId"`,
    join: `LEFT JOIN api_keys k ON k.id = l.api_key_id`,
    where: `l.api_key_id IS NOT NULL`,
    groupBy: `l.api_key_id, k.name, k.prefix, k.user_id`,
    hourlyKey: `h.api_key_id`,
  },
  model: {
    select: `l.model, l.provider_type AS provider, bool_or(l.unpriced) AS unpriced`,
    join: ``,
    where: `true`,
    groupBy: `l.model, l.provider_type`,
    hourlyKey: `h.model`,
  },
  instance: {
    select: `l.instance_id AS "instanceId", i.name`,
    join: `LEFT JOIN ai_instances i ON i.id = l.instance_id`,
    where: `l.instance_id IS NOT NULL`,
    groupBy: `l.instance_id, i.name`,
    hourlyKey: `h.instance_id`,
  },
});
