import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InstanceTraffic, InstanceTrafficRow, OUTCOMES_NOT_BLAMING_THE_INSTANCE, toInstanceTraffic } from './instance-traffic';
import { LiveTraffic, LiveTrafficRow, toLiveTraffic } from './live-traffic';
import type { RequestLogDetail, RequestLogEntry, UsageInterval, UsageSeriesReport } from '@ish/contracts';
import {
  REQUEST_LOG_ENTRY_SQL,
  RequestLogEntryRow,
  requestLogConditions,
  RequestLogFilter,
  toRequestLogEntry,
} from './request-log-entries';
import { toUsageSeries, UsageSeriesRow } from './usage-series';
import { TimeRange, USAGE_DIMENSIONS, USAGE_TOTALS_SQL, UsageDimension, UsageRows } from './usage-totals';

/** A usage bucket's start from an hour of `request_log_hourly h`: date_bin (UTC midnights) costs a fraction of date_trunc with a time zone. */
const BUCKET_SQL: Record<UsageInterval, string> = { hour: 'h.bucket', day: `date_bin('1 day', h.bucket, timestamptz '2000-01-01T00:00:00Z')` };

/** Everyone's usage by model or instance reads the few rows an hour of the totals; anything by user or key, the per-user hours. */
function hourlyTableFor(query: { groupBy: UsageDimension; userId?: string }): string {
  return !query.userId && (query.groupBy === 'model' || query.groupBy === 'instance') ? 'request_log_hourly_totals' : 'request_log_hourly';
}

/**
 * The one reader of `request_logs` (relay and worker write it through RequestLogWriter): usage
 * totals for reports and spend, and an instance's traffic for its view, its health and routing.
 * Every service that needs these figures asks here; none writes its own SQL over the table.
 */
@Injectable()
export class RequestLogReadModel {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Requests, tokens and cost of the calls in `range`, one row per group, busiest first. */
  totalsBy<D extends UsageDimension>(dimension: D, range: TimeRange): Promise<UsageRows[D][]> {
    const sql = USAGE_DIMENSIONS[dimension];
    return this.dataSource.query<UsageRows[D][]>(
      `SELECT ${sql.select}, ${USAGE_TOTALS_SQL}
       FROM request_logs l ${sql.join}
       WHERE l.created_at >= $1 AND l.created_at < $2 AND ${sql.where}
       GROUP BY ${sql.groupBy} ORDER BY requests DESC`,
      [range.from, range.to],
    );
  }

  /**
   * What a key or a user spent since `from`, in integer micro-USD (each row's cost has 6 decimals, so
   * the sum is exact): the figure a budget's Redis counter is rebuilt from.
   */
  async spentSince(owner: { kind: 'api_key'; id: string; userId: string } | { kind: 'user'; id: string }, from: Date): Promise<number> {
    // a key's rows are found through its user's (user_id, created_at) index
    const [userId, keyId] = owner.kind === 'api_key' ? [owner.userId, owner.id] : [owner.id, null];
    const [row] = await this.dataSource.query<{ micro: string }[]>(
      `SELECT COALESCE(round(sum(cost_usd) * 1000000), 0)::bigint::text AS micro FROM request_logs
       WHERE user_id = $1 AND created_at >= $2 AND ($3::uuid IS NULL OR api_key_id = $3)`,
      [userId, from, keyId],
    );
    return Number(row?.micro ?? 0);
  }

  /**
   * Usage over whole buckets of `range` (see usageBuckets), one series per group, from the hourly
   * figures the log's triggers keep: a 30-day range reads hours, not calls. `userId`: that user's only.
   */
  async usageSeries(query: { range: TimeRange; interval: UsageInterval; groupBy: UsageDimension; userId?: string }): Promise<UsageSeriesReport> {
    const params: unknown[] = [query.range.from, query.range.to];
    if (query.userId) params.push(query.userId);
    const rows = await this.dataSource.query<UsageSeriesRow[]>(
      `SELECT ${USAGE_DIMENSIONS[query.groupBy].hourlyKey} AS key, ${BUCKET_SQL[query.interval]} AS t,
              sum(h.requests)::float8 AS requests, sum(h.errors)::float8 AS errors,
              sum(h.prompt_tokens) AS "promptTokens", sum(h.completion_tokens) AS "completionTokens", sum(h.cost_usd) AS "costUsd"
       FROM ${hourlyTableFor(query)} h
       WHERE h.bucket >= $1 AND h.bucket < $2 ${query.userId ? 'AND h.user_id = $3' : ''}
       GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
    return toUsageSeries(rows, query.range, query.interval);
  }

  /** One page of the log, newest first (keyset on id: no entry twice, none skipped, however the log grows). */
  async entries(filter: RequestLogFilter): Promise<RequestLogEntry[]> {
    const { where, params } = requestLogConditions(filter);
    const rows = await this.dataSource.query<RequestLogEntryRow[]>(
      `SELECT ${REQUEST_LOG_ENTRY_SQL} FROM request_logs WHERE ${where} ORDER BY request_logs.id DESC LIMIT ${Math.trunc(filter.limit)}`,
      params,
    );
    return rows.map(toRequestLogEntry);
  }

  /** One entry (only if it is `userId`'s, when given), with its kept prompt and reply when `withBodies`; null when there is none. */
  async entry(id: string, options: { userId?: string; withBodies: boolean }): Promise<RequestLogDetail | null> {
    const { where, params } = requestLogConditions({ userId: options.userId });
    params.push(id);
    const [row] = await this.dataSource.query<(RequestLogEntryRow & { bodies: { request: unknown; response: unknown } | null })[]>(
      `SELECT ${REQUEST_LOG_ENTRY_SQL}, ${options.withBodies ? 'bodies' : 'NULL::jsonb AS bodies'} FROM request_logs WHERE ${where} AND id = $${params.length}::bigint`,
      params,
    );
    if (!row) return null;
    const { bodies, ...entry } = row;
    return { ...toRequestLogEntry(entry), ...(bodies ? { request: bodies.request, response: bodies.response } : {}) };
  }

  /** Each instance's traffic over the last `windowSeconds` (see InstanceTraffic); instances without any are absent. */
  async instanceTraffic(instanceIds: readonly string[], windowSeconds: number): Promise<Map<string, InstanceTraffic>> {
    if (instanceIds.length === 0) return new Map();
    const rows = await this.dataSource.query<InstanceTrafficRow[]>(
      `SELECT instance_id AS id, count(*)::int AS requests,
              count(*) FILTER (WHERE outcome <> ALL($3))::int AS errors,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE outcome = 'success') AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE outcome = 'success') AS p95
       FROM request_logs
       WHERE instance_id = ANY($1) AND created_at > now() - make_interval(secs => $2)
       GROUP BY instance_id`,
      [instanceIds, windowSeconds, OUTCOMES_NOT_BLAMING_THE_INSTANCE],
    );
    return new Map(rows.map((row) => [row.id, toInstanceTraffic(row)]));
  }

  /** Every call of the last `windowSeconds`, over all instances (see LiveTraffic): the live figures of GET /api/v1/stats. */
  async liveTraffic(windowSeconds: number): Promise<LiveTraffic> {
    const [row] = await this.dataSource.query<LiveTrafficRow[]>(
      `SELECT count(*)::int AS count,
              count(*) FILTER (WHERE outcome <> ALL($2))::int AS errors,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE outcome = 'success') AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE outcome = 'success') AS p95
       FROM request_logs
       WHERE created_at > now() - make_interval(secs => $1)`,
      [windowSeconds, OUTCOMES_NOT_BLAMING_THE_INSTANCE],
    );
    return toLiveTraffic(row, windowSeconds);
  }

  /**
   * The estimated cost of every call since `from`, an hour's start (unpriced calls count 0): summed from the
   * hourly totals the log's triggers keep, not the calls themselves — `ish top` asks every 2 s.
   */
  async costSince(from: Date): Promise<number> {
    const [row] = await this.dataSource.query<{ costUsd: number }[]>(`SELECT coalesce(sum(cost_usd), 0)::float AS "costUsd" FROM request_log_hourly_totals WHERE bucket >= $1`, [from]);
    return row.costUsd;
  }
}
