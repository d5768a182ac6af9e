import Redis from 'ioredis';
import { EVENTS, InstanceStatusChanged, InstanceView, RoutingTableSnapshot, ScalingEventView, ScalingPolicy, REDIS_KEYS } from '@ish/contracts';
import { ProviderSim, startProviderSim } from '@ish/provider-sim';
import { REDIS_URL, serviceUrl, api, waitFor } from '@ish/test-support';
import { EventTap } from './event-tap';
import { admin, createInstance, deleteInstances, getInstance } from './instances-api';

/** A relay that does not exist: the in-flight hash it would write, per the InFlightTracker contract. */
const FAKE_PROCESS_KEY = REDIS_KEYS.inFlight(`scaling-test-${process.pid}`);
const POLICY: ScalingPolicy = { enabled: true, scaleUpUtilization: 0.5, scaleDownUtilization: 0.2, cooldownSeconds: 1, minActive: 1 };

describe('standby scaling', () => {
  let redis: Redis;
  let sims: ProviderSim[] = [];
  let active: InstanceView;
  let standby: InstanceView;
  let previous: ScalingPolicy;
  let tap: EventTap;
  let load: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    sims = await Promise.all([startProviderSim({ name: 'scaling-active' }), startProviderSim({ name: 'scaling-standby' })]);
    tap = await EventTap.open([EVENTS.instanceStatusChanged, EVENTS.routingTableUpdated]);
    previous = (await api<ScalingPolicy>('GET', '/api/v1/instances/scaling', { token: admin() })).body;
    active = await createInstance({ name: 'scaling-active', baseUrl: `${sims[0].url}/v1`, maxConcurrency: 4 });
    standby = await createInstance({ name: 'scaling-standby', baseUrl: `${sims[1].url}/v1`, maxConcurrency: 4, standby: true, priority: 0 });
  });

  afterAll(async () => {
    clearInterval(load);
    await redis?.del(FAKE_PROCESS_KEY);
    if (previous) await api('PUT', '/api/v1/instances/scaling', { token: admin(), body: previous });
    await deleteInstances([active?.id, standby?.id].filter(Boolean));
    await tap?.close();
    await redis?.quit();
    await Promise.all(sims.map((sim) => sim.close()));
  });

  /** Fills every active instance to its maxConcurrency, as relays would report it. */
  async function saturate(): Promise<void> {
    const all = (await api<InstanceView[]>('GET', '/api/v1/instances', { token: admin() })).body;
    const busy = all.filter((instance) => instance.status === 'healthy' || instance.status === 'degraded');
    if (busy.length === 0) return;
    await redis
      .multi()
      .hset(FAKE_PROCESS_KEY, Object.fromEntries(busy.map((instance) => [instance.id, String(instance.maxConcurrency)])))
      .expire(FAKE_PROCESS_KEY, 10)
      .exec();
  }

  it('serves and validates its policy', async () => {
    expect(previous).toEqual({ enabled: expect.any(Boolean), scaleUpUtilization: expect.any(Number), scaleDownUtilization: expect.any(Number), cooldownSeconds: expect.any(Number), minActive: expect.any(Number) });
    const put = await api<ScalingPolicy>('PUT', '/api/v1/instances/scaling', { token: admin(), body: POLICY });
    expect(put.status).toBe(200);
    expect(put.body).toEqual(POLICY);
    expect((await api('GET', '/api/v1/instances/scaling', { token: admin() })).body).toEqual(POLICY);
    expect(await getInstance(standby.id)).toMatchObject({ standby: true, status: 'standby' });
  });

  it('activates a standby instance under load and returns it to standby once the load is gone, recording both', async () => {
    const started = Date.now();
    await saturate();
    load = setInterval(() => void saturate().catch(() => undefined), 200);

    const busyView = await waitFor('the in-flight counts to show in the views', async () => {
      const view = await getInstance(active.id);
      return view.inFlight === 4 && view;
    }, 3000);
    expect(busyView.inFlight).toBe(4);

    await waitFor('the standby instance to be activated', async () => (await getInstance(standby.id)).status === 'healthy', 15_000, 100);
    const upAfterMs = Date.now() - started;
    expect(await getInstance(standby.id)).toMatchObject({ standby: true, status: 'healthy' });
    const activated = await tap.next<InstanceStatusChanged>(EVENTS.instanceStatusChanged, (e) => e.instanceId === standby.id && e.to === 'healthy', started);
    expect(activated.body).toMatchObject({ from: 'standby', reason: expect.stringMatching(/^activated by the scaler: utilization \d\.\d\d above 0\.5/) });
    await tap.next<RoutingTableSnapshot>(EVENTS.routingTableUpdated, (t) => t.instances.some((i) => i.id === standby.id), started);

    clearInterval(load);
    load = undefined;
    const unloaded = Date.now();
    await redis.del(FAKE_PROCESS_KEY);
    await waitFor('the standby instance to be returned to standby', async () => (await getInstance(standby.id)).status === 'standby', 15_000, 100);
    const downAfterMs = Date.now() - unloaded;
    const returned = await tap.next<InstanceStatusChanged>(EVENTS.instanceStatusChanged, (e) => e.instanceId === standby.id && e.to === 'standby', unloaded);
    expect(returned.body).toMatchObject({ from: 'healthy', reason: expect.stringMatching(/^returned to standby by the scaler: utilization 0\.\d\d below 0\.2/) });
    await tap.next<RoutingTableSnapshot>(EVENTS.routingTableUpdated, (t) => !t.instances.some((i) => i.id === standby.id), unloaded);
    expect(await getInstance(active.id)).toMatchObject({ status: 'healthy', inFlight: 0 });

    const events = await api<ScalingEventView[]>('GET', '/api/v1/instances/scaling/events?limit=50', { token: admin() });
    expect(events.status).toBe(200);
    const ours = events.body.filter((event) => event.instanceId === standby.id);
    expect(ours).toEqual([
      { id: expect.any(String), direction: 'down', instanceId: standby.id, instanceName: 'scaling-standby', utilization: expect.any(Number), reason: expect.stringMatching(/below 0\.2 for \d+ s/), createdAt: expect.any(String) },
      { id: expect.any(String), direction: 'up', instanceId: standby.id, instanceName: 'scaling-standby', utilization: expect.any(Number), reason: expect.stringMatching(/above 0\.5 for \d+ s/), createdAt: expect.any(String) },
    ]);
    expect(ours[1].utilization).toBeGreaterThan(0.5);
    expect(ours[0].utilization).toBeLessThan(0.2);
    const newestFirst = events.body.map((event) => Date.parse(event.createdAt));
    expect(newestFirst).toEqual([...newestFirst].sort((x, y) => y - x));
    expect((await api<ScalingEventView[]>('GET', '/api/v1/instances/scaling/events?limit=1', { token: admin() })).body).toHaveLength(1);

    const metrics = await (await fetch(`${serviceUrl('instance-manager')}/metrics`)).text();
    expect(metrics).toMatch(/instance_manager_scaling_events_total\{[^}]*direction="up"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/instance_manager_scaling_events_total\{[^}]*direction="down"[^}]*\} [1-9]/);
    process.stdout.write(`standby activated ${upAfterMs} ms after the load began; returned ${downAfterMs} ms after it ended (cooldown 1 s)\n`);
  });

  it('does nothing while disabled', async () => {
    await api('PUT', '/api/v1/instances/scaling', { token: admin(), body: { ...POLICY, enabled: false } });
    await saturate();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await getInstance(standby.id)).toMatchObject({ status: 'standby' });
    await redis.del(FAKE_PROCESS_KEY);
  });
});
