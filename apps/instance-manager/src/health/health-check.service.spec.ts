import type { Repository } from 'typeorm';
import type { InstanceStatus } from '@ish/contracts';
import type { InstanceEntity } from '@ish/database';
import type { CircuitRecord, ProbeCircuit } from '@ish/routing';
import { InstanceManagerConfig } from '../config';
import type { InstanceStatusWriter } from '../status/instance-status.writer';
import { HealthCheckService } from './health-check.service';
import type { InstanceProber, ProbeOutcome } from './instance-prober';
import type { ProbeFailures } from './probe-failures';

function setup(outcomes: ProbeOutcome[]) {
  const failures = new Map<string, number>();
  const circuit: CircuitRecord = { state: 'closed', consecutiveFailures: 0, trialsInFlight: 0 };
  const transitions: { from: InstanceStatus; to: InstanceStatus; reason: string }[] = [];
  const checkedAtWrites: string[] = [];
  const prober = { probe: async () => outcomes.shift() as ProbeOutcome };
  const probeFailures = {
    increment: async (id: string) => {
      failures.set(id, (failures.get(id) ?? 0) + 1);
      return failures.get(id) as number;
    },
    reset: async (id: string) => void failures.delete(id),
  };
  const probeCircuit = {
    recordProbe: async (_id: string, ok: boolean): Promise<CircuitRecord> => {
      if (ok) Object.assign(circuit, { state: 'closed', consecutiveFailures: 0, openedAt: undefined });
      else Object.assign(circuit, { consecutiveFailures: circuit.consecutiveFailures + 1 }, circuit.consecutiveFailures + 1 >= 2 ? { state: 'open', openedAt: Date.now() } : {});
      return { ...circuit };
    },
    reset: async () => undefined,
  };
  let raced = false;
  const writer = {
    transition: async (row: InstanceEntity, to: InstanceStatus, reason: string) => {
      if (raced) return false;
      transitions.push({ from: row.status, to, reason });
      row.status = to;
      return true;
    },
  };
  const updateBuilder = {
    update: () => updateBuilder,
    set: () => updateBuilder,
    where: (_sql: string, params: { id: string }) => {
      checkedAtWrites.push(params.id);
      return updateBuilder;
    },
    execute: async () => ({ affected: 1 }),
  };
  const repository = { createQueryBuilder: () => updateBuilder };
  const config = Object.assign(new InstanceManagerConfig(), { HEALTH_UNHEALTHY_AFTER_FAILURES: 2, HEALTH_PASSIVE_MIN_REQUESTS: 10 });
  const service = new HealthCheckService(
    repository as unknown as Repository<InstanceEntity>,
    prober as unknown as InstanceProber,
    probeFailures as unknown as ProbeFailures,
    probeCircuit as unknown as ProbeCircuit,
    writer as unknown as InstanceStatusWriter,
    config,
  );
  return { service, transitions, checkedAtWrites, failures, raceWithOperator: () => (raced = true) };
}

function instance(status: InstanceStatus = 'healthy'): InstanceEntity {
  return { id: 'i1', name: 'sim', providerType: 'openai-compatible', status } as InstanceEntity;
}

describe('HealthCheckService', () => {
  it('turns an instance unhealthy after two failed probes in a row, opening its circuit', async () => {
    const { service, transitions } = setup([
      { ok: false, latencyMs: 3, error: 'HTTP 500: boom' },
      { ok: false, latencyMs: 3, error: 'HTTP 500: boom' },
    ]);
    const row = instance();
    const first = await service.check(row);
    expect(first).toMatchObject({ statusChanged: false, result: { ok: false, status: 'healthy', circuit: 'closed', error: 'HTTP 500: boom' } });
    const second = await service.check(row);
    expect(second).toMatchObject({ statusChanged: true, result: { ok: false, status: 'unhealthy', circuit: 'open' } });
    expect(transitions).toEqual([{ from: 'healthy', to: 'unhealthy', reason: '2 probe(s) failed in a row: HTTP 500: boom' }]);
  });

  it('brings an unhealthy instance back to healthy on a good probe, closing its circuit', async () => {
    const { service, transitions, failures } = setup([{ ok: false, latencyMs: 1 }, { ok: false, latencyMs: 1 }, { ok: true, latencyMs: 12 }]);
    const row = instance();
    await service.check(row);
    await service.check(row);
    const recovered = await service.check(row);
    expect(recovered.result).toEqual({ instanceId: 'i1', ok: true, latencyMs: 12, status: 'healthy', circuit: 'closed', checkedAt: expect.any(String) });
    expect(transitions.map((t) => t.to)).toEqual(['unhealthy', 'healthy']);
    expect(failures.size).toBe(0);
  });

  it('degrades an instance that answers probes while real traffic fails', async () => {
    const { service } = setup([{ ok: true, latencyMs: 5 }]);
    const check = await service.check(instance(), { requests: 40, errors: 20, p50LatencyMs: 100, p95LatencyMs: 300 });
    expect(check.result.status).toBe('degraded');
  });

  it('never changes a disabled instance, but still reports the probe and records when it was checked', async () => {
    const { service, transitions, checkedAtWrites } = setup([{ ok: false, latencyMs: 1 }, { ok: false, latencyMs: 1 }]);
    const row = instance('disabled');
    await service.check(row);
    const check = await service.check(row);
    expect(check).toMatchObject({ statusChanged: false, result: { ok: false, status: 'disabled' } });
    expect(transitions).toEqual([]);
    expect(checkedAtWrites).toEqual(['i1', 'i1']);
  });

  it('lets an operator who changed the status meanwhile win', async () => {
    const { service, raceWithOperator } = setup([{ ok: false, latencyMs: 1 }, { ok: false, latencyMs: 1 }]);
    const row = instance();
    await service.check(row);
    raceWithOperator();
    expect(await service.check(row)).toMatchObject({ statusChanged: false, result: { status: 'healthy' } });
  });
});
