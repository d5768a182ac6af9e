import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { InstanceView } from '@ish/contracts';
import type { InstanceEntity } from '@ish/database';
import { CircuitStates } from '../live-state/circuit-states';
import { InFlightReader } from '../live-state/in-flight-reader';

const STATS_WINDOW_MINUTES = 15;

/**
 * What an instance looks like right now beyond its row: traffic statistics from the request log
 * (the last 15 minutes), its circuit as relay and worker share it, and what every relay and
 * worker process has in flight to it.
 */
@Injectable()
export class InstanceLiveState {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly circuits: CircuitStates,
    private readonly inFlight: InFlightReader,
  ) {}

  async views(rows: InstanceEntity[]): Promise<InstanceView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [stats, circuits, inFlight] = await Promise.all([this.stats(ids), this.circuits.statesOf(ids), this.inFlight.totals()]);
    const byId = new Map(stats.map((s) => [s.id, s]));
    return rows.map((row) => {
      const s = byId.get(row.id);
      return {
        id: row.id,
        name: row.name,
        providerType: row.providerType,
        baseUrl: row.baseUrl,
        models: row.models,
        weight: row.weight,
        priority: row.priority,
        maxConcurrency: row.maxConcurrency,
        timeoutMs: row.timeoutMs,
        standby: row.standby,
        status: row.status,
        circuit: circuits.get(row.id) ?? 'closed',
        inFlight: inFlight.get(row.id) ?? 0,
        stats: { requests: s?.requests ?? 0, errors: s?.errors ?? 0, p50LatencyMs: Math.round(s?.p50 ?? 0), p95LatencyMs: Math.round(s?.p95 ?? 0) },
        lastCheckedAt: row.lastCheckedAt?.toISOString() ?? null,
        hasApiKey: !!row.apiKeyEncrypted,
        ...(row.settings ?? {}),
      };
    });
  }

  private stats(ids: string[]) {
    return this.dataSource.query<{ id: string; requests: number; errors: number; p50: number | null; p95: number | null }[]>(
      `SELECT instance_id AS id, count(*)::int AS requests, count(*) FILTER (WHERE outcome <> 'success')::int AS errors,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
       FROM request_logs WHERE instance_id = ANY($1) AND created_at > now() - interval '${STATS_WINDOW_MINUTES} minutes'
       GROUP BY instance_id`,
      [ids],
    );
  }
}
