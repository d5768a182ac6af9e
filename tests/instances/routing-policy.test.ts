import { EVENTS, RoutingPolicyView, RoutingTableSnapshot } from '@ish/contracts';
import { api } from '@ish/test-support';
import { EventTap } from './event-tap';
import { admin } from './instances-api';

type ErrorBody = { error: { type: string; code: string; message: string; details?: { field: string; message: string }[] } };

describe('routing policy', () => {
  let previous: RoutingPolicyView;
  let tap: EventTap;

  beforeAll(async () => {
    tap = await EventTap.open([EVENTS.routingTableUpdated]);
    previous = (await api<RoutingPolicyView>('GET', '/api/v1/routing', { token: admin() })).body;
  });

  afterAll(async () => {
    if (previous) await api('PUT', '/api/v1/routing', { token: admin(), body: previous });
    await tap?.close();
  });

  it('is served, replaced, and broadcast to relay and worker with the routing table', async () => {
    expect(previous).toEqual({ strategy: expect.any(String), fallbacks: expect.any(Object), aliases: expect.any(Object) });
    const policy = { strategy: 'priority-failover', fallbacks: { 'gpt-4o': ['gpt-4o-mini', 'sim-small'], 'sim-small': ['gpt-4o-mini'] }, aliases: { 'policy-fast': ['sim-small', 'gpt-4o-mini'] } };
    const since = Date.now();
    const put = await api<RoutingPolicyView>('PUT', '/api/v1/routing', { token: admin(), body: policy });
    expect(put.status).toBe(200);
    expect(put.body).toEqual(policy);
    expect((await api('GET', '/api/v1/routing', { token: admin() })).body).toEqual(policy);
    const table = await tap.next<RoutingTableSnapshot>(EVENTS.routingTableUpdated, (t) => t.strategy === 'priority-failover', since);
    expect(table.body.fallbacks).toEqual(policy.fallbacks);
    expect(table.body.aliases).toEqual(policy.aliases);

    const again = Date.now();
    const withoutFallbacks = await api<RoutingPolicyView>('PUT', '/api/v1/routing', { token: admin(), body: { strategy: 'least-connections' } });
    expect(withoutFallbacks.body).toEqual({ strategy: 'least-connections', fallbacks: {}, aliases: {} });
    const cleared = (await tap.next<RoutingTableSnapshot>(EVENTS.routingTableUpdated, (t) => t.strategy === 'least-connections', again)).body;
    expect(cleared.fallbacks).toEqual({});
    expect(cleared.aliases).toEqual({});
  });

  it.each([
    [{ strategy: 'fastest' }, 'strategy'],
    [{}, 'strategy'],
    [{ strategy: 'least-latency', fallbacks: { 'gpt-4o': [] } }, 'fallbacks'],
    [{ strategy: 'least-latency', fallbacks: { 'gpt-4o': 'gpt-4o-mini' } }, 'fallbacks'],
    [{ strategy: 'least-latency', fallbacks: ['gpt-4o'] }, 'fallbacks'],
    [{ strategy: 'least-latency', fallbacks: { 'gpt-4o': [''] } }, 'fallbacks'],
    [{ strategy: 'least-latency', aliases: { fast: [] } }, 'aliases'],
    [{ strategy: 'least-latency', aliases: ['gpt-4o'] }, 'aliases'],
    [{ strategy: 'least-latency', aliases: { fast: ['gpt-4o-mini'], best: ['fast'] } }, 'aliases'],
    [{ strategy: 'least-latency', extra: true }, 'extra'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const refused = await api<ErrorBody>('PUT', '/api/v1/routing', { token: admin(), body });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ type: 'invalid_request_error', code: 'validation_failed' });
    expect(refused.body.error.details?.map((detail) => detail.field)).toContain(field);
  });

  it('needs instances:read to read it and instances:write to change it', async () => {
    const created = await api<{ key: string }>('POST', '/api/v1/auth/api-keys', { token: admin(), body: { name: 'routing reader', scopes: ['instances:read'] } });
    expect(created.status).toBe(201);
    const reader = created.body.key;
    expect((await api('GET', '/api/v1/routing', { token: reader })).status).toBe(200);
    expect((await api('GET', '/api/v1/instances/scaling', { token: reader })).status).toBe(200);
    const forbidden = await api<ErrorBody>('PUT', '/api/v1/routing', { token: reader, body: { strategy: 'least-latency' } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.type).toBe('permission_error');
    expect((await api('PUT', '/api/v1/instances/scaling', { token: reader, body: {} })).status).toBe(403);
    expect((await api('GET', '/api/v1/routing')).status).toBe(401);
  });
});
