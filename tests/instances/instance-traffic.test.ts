// An instance's `stats` (what the console shows) and its passive health verdict come from one
// definition over one window: a caller's bad requests are counted but are not the instance's errors,
// and what the view shows as errors is what turns the instance degraded.
import { DataSource } from 'typeorm';
import type { InstanceView } from '@ish/contracts';
import { ProviderSim, startProviderSim } from '@ish/provider-sim';
import { DATABASE_URL, deleteRequestLogs, insertRequestLogs, waitFor } from '@ish/test-support';
import { createInstance, deleteInstances, getInstance } from './instances-api';

// the test apps probe every 500 ms; the passive window is HEALTH_PASSIVE_WINDOW_SECONDS (60 s)
const WITHIN_PROBES_MS = 5000;

let db: DataSource;
let sim: ProviderSim;
let instance: InstanceView;
const logIds: string[] = [];

beforeAll(async () => {
  db = await new DataSource({ type: 'postgres', url: DATABASE_URL }).initialize();
  sim = await startProviderSim({ name: 'traffic' });
  instance = await createInstance({ name: 'traffic', baseUrl: `${sim.url}/v1` });
  await waitFor('the instance to be probed', async () => (await getInstance(instance.id)).lastCheckedAt, WITHIN_PROBES_MS);
});

afterAll(async () => {
  await deleteInstances([instance?.id].filter(Boolean));
  await deleteRequestLogs(db, logIds);
  await db?.destroy();
  await sim?.close();
});

describe('instance traffic', () => {
  it('shows a caller’s bad requests as requests, not errors, and keeps the instance healthy', async () => {
    logIds.push(...(await insertRequestLogs(db, Array.from({ length: 12 }, () => ({ instanceId: instance.id, outcome: 'client_error', latencyMs: 3 })))));
    logIds.push(...(await insertRequestLogs(db, [200, 400].map((latencyMs) => ({ instanceId: instance.id, latencyMs })))));
    const probedAfter = Date.now();
    await waitFor('a probe round after the calls', async () => Date.parse((await getInstance(instance.id)).lastCheckedAt ?? '') > probedAfter + 600, WITHIN_PROBES_MS);
    const view = await getInstance(instance.id);
    // latency percentiles are of the successful calls only: 200 and 400
    expect(view.stats).toEqual({ requests: 14, errors: 0, p50LatencyMs: 300, p95LatencyMs: 390 });
    expect(view.status).toBe('healthy');
  });

  it('turns the instance degraded when the errors its view shows reach the threshold', async () => {
    logIds.push(...(await insertRequestLogs(db, Array.from({ length: 6 }, () => ({ instanceId: instance.id, outcome: 'upstream_error', latencyMs: 5 })))));
    const view = await waitFor('the instance to turn degraded', async () => {
      const current = await getInstance(instance.id);
      return current.status === 'degraded' && current;
    }, WITHIN_PROBES_MS);
    // 6 of 20 calls failed (30% ≥ HEALTH_DEGRADED_ERROR_RATE 25%)
    expect(view.stats).toEqual({ requests: 20, errors: 6, p50LatencyMs: 300, p95LatencyMs: 390 });
  });
});
