import { EVENTS, HealthCheckResult, InstanceStatusChanged, InstanceView, RoutingTableSnapshot } from '@ish/contracts';
import { ProviderSim, startProviderSim } from '@ish/provider-sim';
import { serviceUrl, api, waitFor } from '@ish/test-support';
import { EventTap } from './event-tap';
import { admin, createInstance, deleteInstances, getInstance } from './instances-api';

// the test apps probe every 500 ms and turn an instance unhealthy after 2 failed probes in a row
const WITHIN_PROBES_MS = 5000;

/** Waits for an instance's status and circuit, within a few probe rounds. */
async function waitForInstanceState(id: string, status: string, circuit: string, what: string): Promise<void> {
  await waitFor(
    what,
    async () => {
      const view = await getInstance(id);
      return view.status === status && view.circuit === circuit;
    },
    WITHIN_PROBES_MS,
    100,
  );
}

describe('instance health', () => {
  let simA: ProviderSim;
  let simB: ProviderSim;
  let a: InstanceView;
  let b: InstanceView;
  let tap: EventTap;

  beforeAll(async () => {
    [simA, simB] = await Promise.all([startProviderSim({ name: 'health-a' }), startProviderSim({ name: 'health-b' })]);
    tap = await EventTap.open([EVENTS.instanceStatusChanged, EVENTS.routingTableUpdated]);
    a = await createInstance({ name: 'health-a', baseUrl: `${simA.url}/v1` });
    b = await createInstance({ name: 'health-b', baseUrl: `${simB.url}/v1` });
  });

  afterAll(async () => {
    await deleteInstances([a?.id, b?.id].filter(Boolean));
    await tap?.close();
    await Promise.all([simA?.close(), simB?.close()]);
  });

  it('probes every live instance periodically with a cheap model listing', async () => {
    await waitFor('both instances to be probed', async () => (await getInstance(a.id)).lastCheckedAt && (await getInstance(b.id)).lastCheckedAt, WITHIN_PROBES_MS);
    await waitFor('a second probe round', async () => simA.stats().models >= 2, WITHIN_PROBES_MS);
    expect(simA.stats().chatCompletions).toBe(0);
  });

  it('opens the circuit of an instance that fails with 5xx and makes it unhealthy, then closes it and makes it healthy once it recovers', async () => {
    const failedAt = Date.now();
    simA.setFault({ mode: 'error500' });
    await waitForInstanceState(a.id, 'unhealthy', 'open', 'instance A to turn unhealthy with an open circuit');
    const downAfterMs = Date.now() - failedAt;
    expect(await getInstance(b.id)).toMatchObject({ status: 'healthy', circuit: 'closed' });

    const changed = await tap.next<InstanceStatusChanged>(EVENTS.instanceStatusChanged, (e) => e.instanceId === a.id && e.to === 'unhealthy', failedAt);
    expect(changed.body).toEqual({ instanceId: a.id, name: 'health-a', providerType: 'openai-compatible', from: 'healthy', to: 'unhealthy', reason: expect.stringMatching(/2 probe\(s\) failed in a row: HTTP 500/) });
    // relay and worker get a table that routes to B only
    await tap.next<RoutingTableSnapshot>(EVENTS.routingTableUpdated, (t) => t.instances.some((i) => i.id === b.id) && !t.instances.some((i) => i.id === a.id), failedAt);

    // meanwhile chat keeps working, served by B, and nothing is sent to A
    const servedByB = simB.stats().chatCompletions;
    for (let i = 0; i < 4; i++) {
      const chat = await api('POST', '/api/v1/chat/completions', { token: admin(), body: { model: 'openai-compatible/gpt-4o', messages: [{ role: 'user', content: `during the outage ${i}` }] } });
      expect(chat.status).toBe(200);
    }
    expect(simB.stats().chatCompletions).toBeGreaterThan(servedByB);
    expect(simA.stats().chatCompletions).toBe(0);

    const metrics = await waitFor('the circuit gauge to show it open', async () => {
      const text = await (await fetch(`${serviceUrl('instance-manager')}/metrics`)).text();
      return new RegExp(`instance_manager_circuit_state\\{[^}]*instance_id="${a.id}"[^}]*\\} 2\n`).test(text) && text;
    }, 2000);
    expect(metrics).toMatch(/instance_manager_instances\{[^}]*status="unhealthy"[^}]*\} [1-9]/);

    const recoveredAt = Date.now();
    simA.clearFault();
    await waitForInstanceState(a.id, 'healthy', 'closed', 'instance A to be healthy with a closed circuit');
    const back = await tap.next<InstanceStatusChanged>(EVENTS.instanceStatusChanged, (e) => e.instanceId === a.id && e.to === 'healthy', recoveredAt);
    expect(back.body).toMatchObject({ from: 'unhealthy', to: 'healthy', reason: 'probe ok' });
    await tap.next<RoutingTableSnapshot>(EVENTS.routingTableUpdated, (t) => [a.id, b.id].every((id) => t.instances.some((i) => i.id === id)), recoveredAt);
    process.stdout.write(`instance A unhealthy ${downAfterMs} ms after its upstream began failing; healthy again ${Date.now() - recoveredAt} ms after it recovered\n`);
  });

  it('runs a probe on demand and answers its result', async () => {
    const ok = await api<HealthCheckResult>('POST', `/api/v1/instances/${b.id}/health-check`, { token: admin() });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ instanceId: b.id, ok: true, latencyMs: expect.any(Number), status: 'healthy', circuit: 'closed', checkedAt: expect.any(String) });

    simB.setFault({ mode: 'error503', count: 1 });
    const failed = await api<HealthCheckResult>('POST', `/api/v1/instances/${b.id}/health-check`, { token: admin() });
    expect(failed.body).toMatchObject({ ok: false, status: 'healthy', error: expect.stringMatching(/^HTTP 503/) });

    const missing = await api<{ error: { code: string } }>('POST', '/api/v1/instances/00000000-0000-4000-8000-000000000000/health-check', { token: admin() });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('instance_not_found');
  });

  it('announces an operator disabling an instance, and leaves disabled instances alone', async () => {
    const since = Date.now();
    expect((await api('PATCH', `/api/v1/instances/${b.id}`, { token: admin(), body: { enabled: false } })).status).toBe(200);
    const disabled = await tap.next<InstanceStatusChanged>(EVENTS.instanceStatusChanged, (e) => e.instanceId === b.id && e.to === 'disabled', since);
    expect(disabled.body).toEqual({ instanceId: b.id, name: 'health-b', providerType: 'openai-compatible', from: 'healthy', to: 'disabled', reason: 'disabled by an operator' });
    simB.setFault({ mode: 'error500' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await getInstance(b.id)).toMatchObject({ status: 'disabled' });
    simB.clearFault();
  });
});
