import Redis from 'ioredis';
import type { InstanceView } from '@ish/contracts';
import { InFlightTracker } from '@ish/routing';
import { REDIS_URL, api, waitFor } from '@ish/test-support';
import { admin, createInstance, deleteInstances, getInstance } from './instances-api';

type ErrorBody = { error: { type: string; code: string; message: string; details?: { field: string; message: string }[] } };

async function expectRefused(method: string, path: string, body: unknown, field: string, message?: RegExp): Promise<void> {
  const refused = await api<ErrorBody>(method, path, { token: admin(), body });
  expect(refused.status).toBe(400);
  expect(refused.body.error).toMatchObject({ type: 'invalid_request_error', code: 'validation_failed' });
  const detail = refused.body.error.details?.find((d) => d.field === field);
  expect(detail).toBeDefined();
  if (message) expect(detail?.message).toMatch(message);
}

const valid = { name: 'validation', providerType: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', models: ['gpt-4o'] };

describe('instance input', () => {
  const created: string[] = [];

  afterAll(async () => {
    await deleteInstances(created);
  });

  it.each([
    ['an unknown provider type', { providerType: 'acme' }, 'providerType', /must be one of/],
    ['a malformed base URL', { baseUrl: 'not a url' }, 'baseUrl', /valid http\(s\) URL/],
    ['a base URL that is not http(s)', { baseUrl: 'file:///etc/passwd' }, 'baseUrl', /http or https/],
    ['a base URL in the link-local metadata range', { baseUrl: 'http://169.254.169.254/latest' }, 'baseUrl', /link-local/],
    ['a base URL naming a cloud metadata host', { baseUrl: 'http://metadata.google.internal/v1' }, 'baseUrl', /metadata/],
    ['a negative weight', { weight: -1 }, 'weight', /not be less than 0/],
    ['empty models', { models: [] }, 'models', /at least one model/],
    ['a missing base URL for an openai-compatible instance', { baseUrl: undefined }, 'baseUrl', /required/],
  ])('refuses %s with 400 naming the field', async (_what, change, field, message) => {
    await expectRefused('POST', '/api/v1/instances', { ...valid, ...change }, field, message);
  });

  it('refuses the same on update', async () => {
    const instance = await createInstance({ ...valid, name: 'validation-update' });
    created.push(instance.id);
    await expectRefused('PATCH', `/api/v1/instances/${instance.id}`, { weight: -5 }, 'weight');
    await expectRefused('PATCH', `/api/v1/instances/${instance.id}`, { baseUrl: 'http://[fe80::1]/v1' }, 'baseUrl', /link-local/);
    await expectRefused('PATCH', `/api/v1/instances/${instance.id}`, { models: [] }, 'models');
  });

  it.each([
    [{ enabled: true, scaleUpUtilization: 0.5, scaleDownUtilization: 0.6, cooldownSeconds: 1, minActive: 1 }, 'scaleDownUtilization'],
    [{ enabled: true, scaleUpUtilization: 1.5, scaleDownUtilization: 0.2, cooldownSeconds: 1, minActive: 1 }, 'scaleUpUtilization'],
    [{ enabled: true, scaleUpUtilization: 0.8, scaleDownUtilization: 0, cooldownSeconds: 1, minActive: 1 }, 'scaleDownUtilization'],
    [{ enabled: true, scaleUpUtilization: 0.8, scaleDownUtilization: 0.2, cooldownSeconds: -1, minActive: 1 }, 'cooldownSeconds'],
    [{ enabled: true, scaleUpUtilization: 0.8, scaleDownUtilization: 0.2, cooldownSeconds: 1, minActive: 1.5 }, 'minActive'],
    [{ scaleUpUtilization: 0.8, scaleDownUtilization: 0.2, cooldownSeconds: 1, minActive: 1 }, 'enabled'],
    [{ enabled: 'yes', scaleUpUtilization: 0.8, scaleDownUtilization: 0.2, cooldownSeconds: 1, minActive: 1 }, 'enabled'],
  ])('refuses the scaling policy %j with 400 naming %s', async (body, field) => {
    await expectRefused('PUT', '/api/v1/instances/scaling', body, field);
  });

  it('validates the scaling events query and routes /scaling before /{id}', async () => {
    expect((await api('GET', '/api/v1/instances/scaling/events?limit=0', { token: admin() })).status).toBe(400);
    expect((await api('GET', '/api/v1/instances/scaling/events?limit=abc', { token: admin() })).status).toBe(400);
    expect((await api('GET', '/api/v1/instances/scaling/events', { token: admin() })).status).toBe(200);
    expect((await api('GET', '/api/v1/instances/status', { token: admin() })).status).toBe(200);
    expect((await api<ErrorBody>('GET', '/api/v1/instances/not-a-uuid', { token: admin() })).status).toBe(400);
  });
});

describe('in-flight requests', () => {
  it('show in the views from every process, and deleting the instance does not disturb their bookkeeping', async () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const relayA = new InFlightTracker(redis, { processId: `test-relay-a-${process.pid}` });
    const relayB = new InFlightTracker(redis, { processId: `test-relay-b-${process.pid}` });
    const instance = await createInstance({ ...valid, name: 'in-flight' });
    try {
      const releases = [relayA.acquire(instance.id), relayA.acquire(instance.id), relayB.acquire(instance.id)];
      await Promise.all([relayA.flush(), relayB.flush()]);
      expect(await getInstance(instance.id)).toMatchObject({ inFlight: 3 });

      expect((await api('DELETE', `/api/v1/instances/${instance.id}`, { token: admin() })).status).toBe(204);
      const list = await api<InstanceView[]>('GET', '/api/v1/instances', { token: admin() });
      expect(list.status).toBe(200);
      expect(list.body.some((i) => i.id === instance.id)).toBe(false);

      // the calls routed before the delete finish and release as usual
      releases.forEach((release) => release());
      await Promise.all([relayA.flush(), relayB.flush()]);
      await waitFor('the in-flight hashes to empty', async () => (await redis.exists(relayA.key, relayB.key)) === 0, 2000);
      expect(relayA.count(instance.id) + relayB.count(instance.id)).toBe(0);
    } finally {
      await Promise.all([relayA.stop(), relayB.stop()]);
      await deleteInstances([instance.id]);
      await redis.quit();
    }
  });
});
