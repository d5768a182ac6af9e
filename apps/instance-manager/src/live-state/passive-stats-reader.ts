import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { PassiveHealth } from '@ish/routing';
import { InstanceManagerConfig } from '../config';

/**
 * Passive health from real traffic: what relay and worker wrote to `request_logs` over the last
 * HEALTH_PASSIVE_WINDOW_SECONDS. A `client_error` (the caller's request was wrong) says nothing
 * about the instance, so it is not an error here; latency percentiles are of successful calls, so
 * fast failures do not make a broken instance look quick.
 */
@Injectable()
export class PassiveStatsReader {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: InstanceManagerConfig,
  ) {}

  async window(instanceIds: readonly string[]): Promise<Map<string, PassiveHealth>> {
    if (instanceIds.length === 0) return new Map();
    const rows = await this.dataSource.query<{ id: string; requests: number; errors: number; p50: number | null; p95: number | null }[]>(
      `SELECT instance_id AS id, count(*)::int AS requests,
              count(*) FILTER (WHERE outcome NOT IN ('success', 'client_error'))::int AS errors,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE outcome = 'success') AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE outcome = 'success') AS p95
       FROM request_logs
       WHERE instance_id = ANY($1) AND created_at > now() - make_interval(secs => $2)
       GROUP BY instance_id`,
      [instanceIds, this.config.HEALTH_PASSIVE_WINDOW_SECONDS],
    );
    return new Map(rows.map((row) => [row.id, { requests: row.requests, errors: row.errors, p50LatencyMs: Math.round(row.p50 ?? 0), p95LatencyMs: Math.round(row.p95 ?? 0) }]));
  }
}
