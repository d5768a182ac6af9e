import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { HealthCheckResult } from '@ish/contracts';
import { InstanceEntity } from '@ish/database';
import { CircuitRecord, DEFAULT_CIRCUIT_CONFIG, effectiveState, HealthThresholds, judgeInstanceHealth, PassiveHealth, ProbeCircuit } from '@ish/routing';
import { InstanceManagerConfig } from '../config';
import { InstanceStatusWriter } from '../status/instance-status.writer';
import { InstanceProber, ProbeOutcome } from './instance-prober';
import { ProbeFailures } from './probe-failures';

export interface HealthCheck {
  result: HealthCheckResult;
  /** the status moved: the caller publishes a new routing table */
  statusChanged: boolean;
}

/**
 * One health check of one instance: the probe, then what follows from it — the run of failures,
 * the shared circuit (a probe is the half_open trial), the status by the rules of
 * judgeInstanceHealth, `lastCheckedAt`, and `instance.status_changed` when the status moved.
 */
@Injectable()
export class HealthCheckService {
  private readonly thresholds: HealthThresholds;

  constructor(
    @InjectRepository(InstanceEntity) private readonly instances: Repository<InstanceEntity>,
    private readonly prober: InstanceProber,
    private readonly failures: ProbeFailures,
    @Inject(ProbeCircuit) private readonly circuit: ProbeCircuit,
    private readonly status: InstanceStatusWriter,
    config: InstanceManagerConfig,
  ) {
    this.thresholds = {
      unhealthyAfterFailures: config.HEALTH_UNHEALTHY_AFTER_FAILURES,
      degradedErrorRate: config.HEALTH_DEGRADED_ERROR_RATE,
      degradedP95LatencyMs: config.HEALTH_DEGRADED_P95_MS,
      minPassiveRequests: config.HEALTH_PASSIVE_MIN_REQUESTS,
    };
  }

  async check(row: InstanceEntity, passive?: PassiveHealth): Promise<HealthCheck> {
    const { probe, failures, record } = await this.probe(row);
    const checkedAt = new Date();
    const verdict = judgeInstanceHealth(row.status, { probeOk: probe.ok, consecutiveFailures: failures, passive }, this.thresholds);
    const reason = probe.error ? `${verdict.reason}: ${probe.error}` : verdict.reason;
    const statusChanged = verdict.status !== row.status && (await this.status.transition(row, verdict.status, reason, checkedAt));
    if (!statusChanged) {
      await this.instances.createQueryBuilder().update().set({ lastCheckedAt: checkedAt }).where('id = :id', { id: row.id }).execute();
      row.lastCheckedAt = checkedAt;
    }
    return {
      statusChanged,
      result: {
        instanceId: row.id,
        ok: probe.ok,
        latencyMs: probe.latencyMs,
        status: row.status,
        circuit: effectiveState(record, Date.now(), DEFAULT_CIRCUIT_CONFIG),
        ...(probe.error ? { error: probe.error } : {}),
        checkedAt: checkedAt.toISOString(),
      },
    };
  }

  /** The probe and its bookkeeping (failures in a row, circuit), without touching the status. */
  async probe(row: InstanceEntity): Promise<{ probe: ProbeOutcome; failures: number; record: CircuitRecord }> {
    const probe = await this.prober.probe(row);
    const failures = probe.ok ? (await this.failures.reset(row.id), 0) : await this.failures.increment(row.id);
    const record = await this.circuit.recordProbe(row.id, probe.ok);
    return { probe, failures, record };
  }

  /** Forgets the health history of an instance that is deleted or returned to service. */
  async forget(instanceId: string): Promise<void> {
    await Promise.all([this.failures.reset(instanceId), this.circuit.reset(instanceId)]);
  }
}
