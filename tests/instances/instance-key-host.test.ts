import type { IncomingHttpHeaders } from 'node:http';
import { api, startModelListProvider, type ModelListProvider } from '@ish/test-support';
import { admin, createInstance, deleteInstances } from './instances-api';

type ErrorBody = { error: { type: string; code: string; message: string; param?: string; details?: { field: string; message: string }[] } };

/** A server on another host name than the instance's: every request it gets, with its headers. */
let newHost: ModelListProvider;
const received: IncomingHttpHeaders[] = [];
let newBaseUrl: string;

beforeAll(async () => {
  // every interface: `localhost` may resolve to ::1 or 127.0.0.1
  newHost = await startModelListProvider((headers) => received.push(headers));
  newBaseUrl = `http://localhost:${newHost.port}/v1`;
});

afterAll(() => newHost.close());

describe('a stored provider key and a changed baseUrl', () => {
  const created: string[] = [];
  afterAll(async () => {
    await deleteInstances(created);
  });

  it('refuses a move to another host without apiKey (400 api_key_required), so the old key never reaches the new host', async () => {
    const instance = await createInstance({ name: 'key-host', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-old-host-secret', standby: true });
    created.push(instance.id);

    const moved = await api<ErrorBody>('PATCH', `/api/v1/instances/${instance.id}`, { token: admin(), body: { baseUrl: newBaseUrl } });
    expect(moved.status).toBe(400);
    expect(moved.body.error).toMatchObject({ type: 'invalid_request_error', code: 'api_key_required', param: 'apiKey' });
    expect(moved.body.error.details).toEqual([{ field: 'apiKey', message: 'required when baseUrl moves to another host' }]);

    const checked = await api<{ ok: boolean }>('POST', `/api/v1/instances/${instance.id}/health-check`, { token: admin() });
    expect(checked.status).toBe(200);
    expect(checked.body.ok).toBe(false);
    expect(received).toEqual([]);

    // with a key of its own the move is fine, and only that key goes there
    const withKey = await api<{ baseUrl: string }>('PATCH', `/api/v1/instances/${instance.id}`, { token: admin(), body: { baseUrl: newBaseUrl, apiKey: 'sk-new-host-key' } });
    expect(withKey.status).toBe(200);
    expect(withKey.body.baseUrl).toBe(newBaseUrl);
    const rechecked = await api<{ ok: boolean }>('POST', `/api/v1/instances/${instance.id}/health-check`, { token: admin() });
    expect(rechecked.body.ok).toBe(true);
    expect(received.length).toBeGreaterThan(0);
    for (const headers of received) expect(headers.authorization).toBe('Bearer sk-new-host-key');
  });

  it('keeps the key for another path on the same host, and lets a keyless instance move freely', async () => {
    const keyed = await createInstance({ name: 'key-same-host', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-same-host', standby: true });
    const keyless = await createInstance({ name: 'keyless-move', baseUrl: 'http://127.0.0.1:9/v1', standby: true });
    created.push(keyed.id, keyless.id);
    expect((await api('PATCH', `/api/v1/instances/${keyed.id}`, { token: admin(), body: { baseUrl: 'http://127.0.0.1:9/openai/v1' } })).status).toBe(200);
    expect((await api('PATCH', `/api/v1/instances/${keyed.id}`, { token: admin(), body: { baseUrl: 'http://127.0.0.1.:9/other' } })).status).toBe(200);
    expect((await api<ErrorBody>('PATCH', `/api/v1/instances/${keyed.id}`, { token: admin(), body: { baseUrl: 'http://127.0.0.1:10/v1' } })).body.error?.code).toBe('api_key_required');
    expect((await api('PATCH', `/api/v1/instances/${keyless.id}`, { token: admin(), body: { baseUrl: newBaseUrl } })).status).toBe(200);
  });

  it.each(['http://169.254.169.254/latest', 'http://169.254.169.254./v1', 'http://[64:ff9b::a9fe:a9fe]/v1', 'http://[::ffff:169.254.169.254]/v1'])(
    'refuses the metadata address %s as a baseUrl',
    async (baseUrl) => {
      const refused = await api<ErrorBody>('POST', '/api/v1/instances', { token: admin(), body: { name: 'metadata', providerType: 'openai-compatible', baseUrl, models: ['gpt-4o'] } });
      expect(refused.status).toBe(400);
      expect(refused.body.error.details?.find((d) => d.field === 'baseUrl')?.message).toMatch(/link-local or cloud-metadata/);
    },
  );
});
