import type { CircuitState, InstanceStatus, ProviderType, ScalingDirection } from '@ish/contracts';
import { defineCounter, defineGauge } from '@ish/platform';

export const instancesHealthyGauge = defineGauge({
  name: 'instance_manager_instances_healthy',
  help: 'Instances whose status is healthy, by provider type (set by the leader after each probe round)',
  labelNames: ['provider_type'] as const,
});

export const instancesGauge = defineGauge({
  name: 'instance_manager_instances',
  help: 'Instances by provider type and status (set by the leader after each probe round)',
  labelNames: ['provider_type', 'status'] as const,
});

export const circuitStateGauge = defineGauge({
  name: 'instance_manager_circuit_state',
  help: 'Circuit of each instance: 0 closed, 1 half_open, 2 open (set by the leader after each probe round)',
  labelNames: ['instance_id'] as const,
});

export const scalingEventsCounter = defineCounter({
  name: 'instance_manager_scaling_events_total',
  help: 'Standby instances activated (up) or returned to standby (down) by the scaler',
  labelNames: ['direction'] as const,
});

export const CIRCUIT_STATE_VALUES: Readonly<Record<CircuitState, number>> = { closed: 0, half_open: 1, open: 2 };

/**
 * Sets the instance gauges from scratch, so deleted instances leave no series behind. Every
 * provider type that has instances gets a healthy count, 0 included: "none healthy" must be a value.
 */
export function setInstanceGauges(rows: readonly { id: string; providerType: ProviderType; status: InstanceStatus }[], circuits: ReadonlyMap<string, CircuitState>): void {
  clearInstanceGauges();
  const healthy = new Map<ProviderType, number>();
  const totals = new Map<string, { providerType: ProviderType; status: InstanceStatus; count: number }>();
  for (const row of rows) {
    healthy.set(row.providerType, (healthy.get(row.providerType) ?? 0) + (row.status === 'healthy' ? 1 : 0));
    const key = `${row.providerType}\u0000${row.status}`;
    const total = totals.get(key) ?? { providerType: row.providerType, status: row.status, count: 0 };
    total.count++;
    totals.set(key, total);
    circuitStateGauge.set({ instance_id: row.id }, CIRCUIT_STATE_VALUES[circuits.get(row.id) ?? 'closed']);
  }
  for (const [providerType, count] of healthy) instancesHealthyGauge.set({ provider_type: providerType }, count);
  for (const total of totals.values()) instancesGauge.set({ provider_type: total.providerType, status: total.status }, total.count);
}

/** A replica that stops leading stops exporting figures it no longer keeps current. */
export function clearInstanceGauges(): void {
  instancesHealthyGauge.reset();
  instancesGauge.reset();
  circuitStateGauge.reset();
}

export function countScalingEvent(direction: ScalingDirection): void {
  scalingEventsCounter.inc({ direction });
}
