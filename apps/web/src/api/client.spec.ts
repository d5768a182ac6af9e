import { ApiClient, type Credential, type CredentialStore, storageCredentialStore } from './client';
import { ApiFailure } from './errors';

interface Call {
  url: string;
  method: string;
  authorization: string | null;
  body: unknown;
}

/** A fake gateway: answers by path, records every call. */
function gateway(routes: Record<string, (call: Call) => Response | Promise<Response>>) {
  const calls: Call[] = [];
  const fetch = async (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    const call = { url, method: init.method ?? 'GET', authorization: headers.get('authorization'), body: init.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(call);
    const route = routes[`${call.method} ${url}`];
    if (!route) return json(404, { error: { type: 'not_found_error', code: 'not_found', message: 'No such endpoint' } });
    return route(call);
  };
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const unauthorized = () => json(401, { error: { type: 'authentication_error', code: 'invalid_credential', message: 'The credential is invalid, expired or revoked' } });
const ME = { id: 'u1', email: 'op@example.com', role: 'admin', scopes: ['admin'] };

function memoryStore(initial: Credential | null = null): CredentialStore & { value: Credential | null } {
  return {
    value: initial,
    load() {
      return this.value;
    },
    save(credential) {
      this.value = credential;
    },
  };
}

describe('ApiClient', () => {
  it('signs in with email and password, keeps the pair and sends the access token', async () => {
    const store = memoryStore();
    const { fetch, calls } = gateway({
      'POST /api/v1/auth/login': () => json(200, { accessToken: 'a1', refreshToken: 'r1', tokenType: 'Bearer', expiresIn: 900 }),
      'GET /api/v1/auth/me': (call) => (call.authorization === 'Bearer a1' ? json(200, ME) : unauthorized()),
    });
    const client = new ApiClient(store, { fetch });
    expect(await client.signInWithPassword('op@example.com', 'secret secret')).toEqual(ME);
    expect(store.value).toEqual({ kind: 'session', accessToken: 'a1', refreshToken: 'r1' });
    expect(calls[0]).toMatchObject({ body: { email: 'op@example.com', password: 'secret secret' }, authorization: null });
    expect(client.signedIn).toBe(true);
  });

  it('refuses a wrong password with the API\'s message and stays signed out', async () => {
    const store = memoryStore();
    const { fetch } = gateway({ 'POST /api/v1/auth/login': () => json(401, { error: { type: 'authentication_error', code: 'invalid_login', message: 'Wrong email or password' } }) });
    const client = new ApiClient(store, { fetch });
    await expect(client.signInWithPassword('a@b.c', 'x')).rejects.toMatchObject({ status: 401, code: 'invalid_login', message: 'Wrong email or password' });
    expect([client.signedIn, store.value]).toEqual([false, null]);
  });

  it('checks an API key before keeping it', async () => {
    const store = memoryStore();
    const { fetch } = gateway({ 'GET /api/v1/auth/me': (call) => (call.authorization === 'Bearer ish_good' ? json(200, ME) : unauthorized()) });
    const client = new ApiClient(store, { fetch });
    await expect(client.signInWithApiKey('ish_bad')).rejects.toBeInstanceOf(ApiFailure);
    expect(store.value).toBeNull();
    expect(await client.signInWithApiKey('  ish_good \n')).toEqual(ME);
    expect(store.value).toEqual({ kind: 'apiKey', key: 'ish_good' });
  });

  it('refreshes an expired access token once for every request waiting, then repeats them', async () => {
    const store = memoryStore({ kind: 'session', accessToken: 'old', refreshToken: 'r1' });
    let refreshes = 0;
    const { fetch, calls } = gateway({
      'POST /api/v1/auth/refresh': async (call) => {
        refreshes++;
        await new Promise((r) => setTimeout(r, 5));
        return (call.body as { refreshToken: string }).refreshToken === 'r1' ? json(200, { accessToken: 'new', refreshToken: 'r2' }) : unauthorized();
      },
      'GET /api/v1/instances': (call) => (call.authorization === 'Bearer new' ? json(200, [{ id: 'i1' }]) : unauthorized()),
    });
    const client = new ApiClient(store, { fetch });
    const [a, b] = await Promise.all([client.json('GET', '/instances'), client.json('GET', '/instances')]);
    expect([a, b]).toEqual([[{ id: 'i1' }], [{ id: 'i1' }]]);
    expect(refreshes).toBe(1);
    expect(store.value).toEqual({ kind: 'session', accessToken: 'new', refreshToken: 'r2' });
    expect(calls.filter((c) => c.url === '/api/v1/instances').map((c) => c.authorization)).toEqual(['Bearer old', 'Bearer old', 'Bearer new', 'Bearer new']);
  });

  it('signs out when the session cannot be refreshed', async () => {
    const store = memoryStore({ kind: 'session', accessToken: 'old', refreshToken: 'spent' });
    const signedOut = jest.fn();
    const { fetch } = gateway({ 'POST /api/v1/auth/refresh': () => unauthorized(), 'GET /api/v1/jobs': () => unauthorized() });
    const client = new ApiClient(store, { fetch, onSignedOut: signedOut });
    await expect(client.json('GET', '/jobs')).rejects.toMatchObject({ status: 401 });
    expect([client.signedIn, store.value, signedOut.mock.calls.length]).toEqual([false, null, 1]);
  });

  it('does not refresh for an API key: a 401 is the key\'s answer', async () => {
    const store = memoryStore({ kind: 'apiKey', key: 'ish_revoked' });
    const { fetch, calls } = gateway({ 'GET /api/v1/jobs': () => unauthorized() });
    await expect(new ApiClient(store, { fetch }).json('GET', '/jobs')).rejects.toMatchObject({ status: 401 });
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/jobs']);
  });

  it('sends JSON bodies, answers undefined for 204 and throws the API error of anything else', async () => {
    const store = memoryStore({ kind: 'apiKey', key: 'ish_k' });
    const { fetch, calls } = gateway({
      'PATCH /api/v1/instances/i1': () => json(200, { id: 'i1', status: 'disabled' }),
      'DELETE /api/v1/auth/api-keys/k1': () => new Response(null, { status: 204 }),
      'POST /api/v1/webhooks': () => json(400, { error: { type: 'invalid_request_error', code: 'validation_failed', message: 'Invalid request: check url', details: [{ field: 'url', message: 'bad' }] } }, { 'x-request-id': 'req-9' }),
    });
    const client = new ApiClient(store, { fetch });
    expect(await client.json('PATCH', '/instances/i1', { body: { enabled: false } })).toEqual({ id: 'i1', status: 'disabled' });
    expect(calls[0].body).toEqual({ enabled: false });
    expect(await client.json('DELETE', '/auth/api-keys/k1')).toBeUndefined();
    await expect(client.json('POST', '/webhooks', { body: { url: 'x' } })).rejects.toMatchObject({ status: 400, code: 'validation_failed', requestId: 'req-9', details: [{ field: 'url', message: 'bad' }] });
  });

  it('logs a session out on the server when signing out', async () => {
    const store = memoryStore({ kind: 'session', accessToken: 'a', refreshToken: 'r' });
    const { fetch, calls } = gateway({ 'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }) });
    const client = new ApiClient(store, { fetch });
    await client.signOut();
    expect(calls.map((c) => [c.url, c.body])).toEqual([['/api/v1/auth/logout', { refreshToken: 'r' }]]);
    expect([client.signedIn, store.value]).toEqual([false, null]);
  });
});

describe('storageCredentialStore', () => {
  it('round-trips a credential and ignores what it cannot read', () => {
    const data = new Map<string, string>();
    const storage = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), removeItem: (k: string) => void data.delete(k) };
    const store = storageCredentialStore(storage);
    expect(store.load()).toBeNull();
    store.save({ kind: 'apiKey', key: 'ish_x' });
    expect(store.load()).toEqual({ kind: 'apiKey', key: 'ish_x' });
    store.save(null);
    expect(data.size).toBe(0);
    data.set('ish.console.credential', '{not json');
    expect(store.load()).toBeNull();
    data.set('ish.console.credential', JSON.stringify({ kind: 'session', accessToken: 1 }));
    expect(store.load()).toBeNull();
  });
});
