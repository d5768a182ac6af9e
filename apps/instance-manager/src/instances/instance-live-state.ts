import { Injectable } from '@nestjs/common';
import type { InstanceView } from '@ish/contracts';
import type { InstanceEntity } from '@ish/database';
import { NO_TRAFFIC } from '@ish/usage';
import { CircuitStates } from '../live-state/circuit-states';
import { InFlightReader } from '../live-state/in-flight-reader';
import { PassiveStatsReader } from '../live-state/passive-stats-reader';
import { instanceFields } from './instance-fields';

/**
 * What an instance looks like right now beyond its row: its traffic over the passive-health window
 * (the figures its health is judged by), its circuit as relay and worker share it, and what every
 * relay and worker process has in flight to it.
 */
@Injectable()
export class InstanceLiveState {
  constructor(
    private readonly traffic: PassiveStatsReader,
    private readonly circuits: CircuitStates,
    private readonly inFlight: InFlightReader,
  ) {}

  async views(rows: InstanceEntity[]): Promise<InstanceView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [stats, circuits, inFlight] = await Promise.all([this.traffic.window(ids), this.circuits.statesOf(ids), this.inFlight.totals()]);
    return rows.map((row) => ({
      ...instanceFields(row),
      standby: row.standby,
      circuit: circuits.get(row.id) ?? 'closed',
      inFlight: inFlight.get(row.id) ?? 0,
      stats: { ...(stats.get(row.id) ?? NO_TRAFFIC) },
      lastCheckedAt: row.lastCheckedAt?.toISOString() ?? null,
      hasApiKey: !!row.apiKeyEncrypted,
      ...(row.settings ?? {}),
    }));
  }
}
