import { APP_PORTS, SECOND_RELAY_PORT, serviceUrl, testSecrets, api, createApiKey, signUp, signUpOperator, uniqueEmail, waitFor } from '@ish/test-support';

const RELAY_A = serviceUrl('relay');
const RELAY_B = serviceUrl('relay', SECOND_RELAY_PORT);
const INSTANCE_MANAGER = serviceUrl('instance-manager');

type ErrorBody = { error: { type: string; code: string; message: string; details?: { field: string; message: string }[] } };

describe('sessions', () => {
  it('register → login → me → refresh → the spent refresh token is refused and its family is dead', async () => {
    const email = uniqueEmail('session');
    const password = 'correct horse battery staple';
    const registered = await api<{ user: { id: string; email: string; role: string } }>('POST', '/api/v1/auth/register', { body: { email, password } });
    expect(registered.status).toBe(201);
    expect(registered.body.user).toEqual({ id: expect.any(String), email, role: 'user' });
    expect((await api('POST', '/api/v1/auth/register', { body: { email, password } })).status).toBe(409);

    const login = await api<{ accessToken: string; refreshToken: string; tokenType: string; expiresIn: number }>('POST', '/api/v1/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });

    const me = await api('GET', '/api/v1/auth/me', { token: login.body.accessToken });
    expect(me.body).toEqual({ id: registered.body.user.id, email, role: 'user', scopes: expect.arrayContaining(['chat']), allowedModels: null, tokensPerMinute: null, budget: null, spend: { periodUsd: null, totalUsd: 0, resetsAt: null } });

    const refreshed = await api<{ accessToken: string; refreshToken: string }>('POST', '/api/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);
    expect((await api('GET', '/api/v1/models', { token: refreshed.body.accessToken })).status).toBe(200);

    const reused = await api<ErrorBody>('POST', '/api/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('refresh_token_reused');
    // the whole family is revoked: the newest refresh token and its access token stop working too
    expect((await api('POST', '/api/v1/auth/refresh', { body: { refreshToken: refreshed.body.refreshToken } })).status).toBe(401);
    await waitFor('the session to be revoked on the relays', async () => {
      const [a, b] = await Promise.all([
        api('GET', '/api/v1/models', { token: refreshed.body.accessToken, base: RELAY_A }),
        api('GET', '/api/v1/models', { token: refreshed.body.accessToken, base: RELAY_B }),
      ]);
      return a.status === 401 && b.status === 401;
    }, 1000, 50);
  });

  it('logout ends the session everywhere', async () => {
    const user = await signUpOperator('logout');
    expect((await api('GET', '/api/v1/instances', { token: user.accessToken })).status).toBe(200);
    expect((await api('POST', '/api/v1/auth/logout', { body: { refreshToken: user.refreshToken } })).status).toBe(204);
    await waitFor('logout to reach instance-manager and relay', async () => {
      const [im, relay] = await Promise.all([
        api('GET', '/api/v1/instances', { token: user.accessToken, base: INSTANCE_MANAGER }),
        api('GET', '/api/v1/models', { token: user.accessToken, base: RELAY_A }),
      ]);
      return im.status === 401 && relay.status === 401;
    }, 1000, 50);
    expect((await api('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } })).status).toBe(401);
  });

  it('answers a wrong password and an unknown email alike, and slows repeated failures with 429', async () => {
    const user = await signUp('throttle');
    const wrong = await api<ErrorBody>('POST', '/api/v1/auth/login', { body: { email: user.email, password: 'wrong password!!' } });
    const unknown = await api<ErrorBody>('POST', '/api/v1/auth/login', { body: { email: uniqueEmail('nobody'), password: 'wrong password!!' } });
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    let status = 0;
    for (let i = 0; i < 12 && status !== 429; i++) {
      const response = await api('POST', '/api/v1/auth/login', { body: { email: user.email, password: 'wrong password!!' } });
      status = response.status;
      if (status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(status).toBe(429);
  });
});

describe('bad input to auth', () => {
  it('names every offending field', async () => {
    const response = await api<ErrorBody>('POST', '/api/v1/auth/register', { body: { email: 'not-an-email', password: 'short', role: 'admin' } });
    expect(response.status).toBe(400);
    expect(response.body.error.type).toBe('invalid_request_error');
    expect(response.body.error.details?.map((d) => d.field)).toEqual(expect.arrayContaining(['email', 'password', 'role']));
    const wrongTypes = await api<ErrorBody>('POST', '/api/v1/auth/login', { body: { email: 42, password: ['x'] } });
    expect(wrongTypes.body.error.details?.map((d) => d.field)).toEqual(expect.arrayContaining(['email', 'password']));
  });

  it('refuses an unknown scope and an oversize body', async () => {
    const user = await signUp('badscope');
    const response = await api<ErrorBody>('POST', '/api/v1/auth/api-keys', { token: user.accessToken, body: { name: 'k', scopes: ['chat', 'root'] } });
    expect(response.status).toBe(400);
    expect(response.body.error.details?.[0].field).toBe('scopes');
    const huge = await api<ErrorBody>('POST', '/api/v1/auth/login', { body: { email: 'a@b.co', password: 'x'.repeat(100_000) } });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
  });

  it('answers a missing or bad credential with 401 in the API.md shape on every service', async () => {
    for (const path of ['/api/v1/auth/me', '/api/v1/models', '/api/v1/instances']) {
      const missing = await api<ErrorBody>('GET', path);
      expect(missing.status).toBe(401);
      expect(missing.body.error).toMatchObject({ type: 'authentication_error', code: 'missing_credential' });
      expect(missing.headers.get('x-request-id')).toBeTruthy();
      const bad = await api<ErrorBody>('GET', path, { token: 'ish_not-a-real-key-not-a-real-key-000000000' });
      expect(bad.status).toBe(401);
      expect(bad.body.error.type).toBe('authentication_error');
    }
  });
});

describe('API keys', () => {
  it('are shown once, listed by prefix, scoped, and a chat key cannot create instances', async () => {
    const user = await signUp('keys');
    const created = await api<{ id: string; key: string; prefix: string; scopes: string[]; rateLimitPerMinute: number }>('POST', '/api/v1/auth/api-keys', {
      token: user.accessToken,
      body: { name: 'chat only', scopes: ['chat'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^ish_/);
    expect(created.body.key.startsWith(created.body.prefix)).toBe(true);
    expect(created.body.rateLimitPerMinute).toBe(120);
    const listed = await api<{ id: string; key?: string; prefix: string }[]>('GET', '/api/v1/auth/api-keys', { token: user.accessToken });
    expect(listed.body).toEqual([expect.objectContaining({ id: created.body.id, prefix: created.body.prefix })]);
    expect(listed.body[0].key).toBeUndefined();

    const forbidden = await api<ErrorBody>('POST', '/api/v1/instances', {
      token: created.body.key,
      body: { name: 'x', providerType: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', models: ['m'] },
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.type).toBe('permission_error');
    expect((await api('GET', '/api/v1/models', { headers: { 'x-api-key': created.body.key } })).status).toBe(200);
    // a user cannot mint a key with scopes they lack, nor an unlimited one
    expect((await api('POST', '/api/v1/auth/api-keys', { token: user.accessToken, body: { name: 'x', scopes: ['admin'] } })).status).toBe(403);
    expect((await api('POST', '/api/v1/auth/api-keys', { token: user.accessToken, body: { name: 'x', scopes: ['chat'], rateLimitPerMinute: 0 } })).status).toBe(403);
  });

  it('a revoked key fails on relay and instance-manager within 1 s', async () => {
    const admin = testSecrets().adminApiKey;
    const created = await api<{ id: string; key: string }>('POST', '/api/v1/auth/api-keys', { token: admin, body: { name: 'to revoke', scopes: ['chat', 'instances:read'] } });
    // used once on each service, so each has it cached
    expect((await api('GET', '/api/v1/models', { token: created.body.key, base: RELAY_A })).status).toBe(200);
    expect((await api('GET', '/api/v1/models', { token: created.body.key, base: RELAY_B })).status).toBe(200);
    expect((await api('GET', '/api/v1/instances', { token: created.body.key, base: INSTANCE_MANAGER })).status).toBe(200);

    expect((await api('DELETE', `/api/v1/auth/api-keys/${created.body.id}`, { token: admin })).status).toBe(204);
    await waitFor('the revocation on every service', async () => {
      const statuses = await Promise.all([
        api('GET', '/api/v1/models', { token: created.body.key, base: RELAY_A }),
        api('GET', '/api/v1/models', { token: created.body.key, base: RELAY_B }),
        api('GET', '/api/v1/instances', { token: created.body.key, base: INSTANCE_MANAGER }),
      ]);
      return statuses.every((r) => r.status === 401);
    }, 1000, 50);
  });

  it('with two relay processes behind the gateway, 120 requests pass in a minute and the 121st gets 429', async () => {
    const user = await signUp('ratelimit');
    const key = await createApiKey(user.accessToken, 'rl');
    const before = await relayModelRequests();
    const statuses: number[] = [];
    let last: Headers | undefined;
    for (let i = 0; i < 120; i++) {
      const response = await api('GET', '/api/v1/models', { token: key });
      statuses.push(response.status);
      last = response.headers;
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(last?.get('x-ratelimit-limit')).toBe('120');
    expect(last?.get('x-ratelimit-remaining')).toBe('0');
    const over = await api<ErrorBody>('GET', '/api/v1/models', { token: key });
    expect(over.status).toBe(429);
    expect(over.body.error.type).toBe('rate_limit_error');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    // both relay processes served part of the 121, yet they shared one budget
    const after = await relayModelRequests();
    expect(after.a - before.a).toBeGreaterThan(0);
    expect(after.b - before.b).toBeGreaterThan(0);
  });
});

describe('admin', () => {
  it('a role change refuses the tokens issued before it, and a sign-in right after it works (compared in ms, not whole seconds)', async () => {
    const admin = testSecrets().adminApiKey;
    const user = await signUp('promote');
    expect((await api('PATCH', `/api/v1/admin/users/${user.userId}`, { token: admin, body: { role: 'admin' } })).status).toBe(200);
    // most likely in the same second as the change
    const login = await api<{ accessToken: string }>('POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password } });
    expect(login.status).toBe(200);
    // once the broadcast reached auth and the relay, the old token is refused there …
    for (const base of [undefined, RELAY_A]) {
      await waitFor('the old token to be refused', async () => (await api('GET', '/api/v1/models', { token: user.accessToken, base })).status === 401, 2000, 50);
    }
    expect((await api('GET', '/api/v1/auth/me', { token: user.accessToken })).status).toBe(401);
    // … and the new one, with the new role, is not
    const me = await api<{ role: string }>('GET', '/api/v1/auth/me', { token: login.body.accessToken });
    expect([me.status, me.body.role]).toEqual([200, 'admin']);
    expect((await api('GET', '/api/v1/models', { token: login.body.accessToken, base: RELAY_A })).status).toBe(200);
  });

  it('lists users, disables one (their token stops working) and reports usage', async () => {
    const admin = testSecrets().adminApiKey;
    const user = await signUp('disable');
    const users = await api<{ id: string; email: string }[]>('GET', '/api/v1/admin/users', { token: admin });
    expect(users.body).toEqual(expect.arrayContaining([expect.objectContaining({ id: user.userId, email: user.email })]));
    expect((await api('GET', '/api/v1/admin/users', { token: user.accessToken })).status).toBe(403);

    const patched = await api<{ disabled: boolean }>('PATCH', `/api/v1/admin/users/${user.userId}`, { token: admin, body: { disabled: true } });
    expect(patched.body.disabled).toBe(true);
    await waitFor('the disabled user to be refused', async () => (await api('GET', '/api/v1/models', { token: user.accessToken, base: RELAY_A })).status === 401, 1000, 50);
    expect((await api('POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password } })).status).toBe(401);

    const usage = await api<{ from: string; to: string; users: unknown[]; keys: unknown[]; models: unknown[] }>('GET', '/api/v1/admin/usage', { token: admin });
    expect(usage.status).toBe(200);
    expect(usage.body).toEqual({ from: expect.any(String), to: expect.any(String), users: expect.any(Array), keys: expect.any(Array), models: expect.any(Array) });
    const backwards = await api<{ error: { code: string; details: { field: string }[] } }>('GET', '/api/v1/admin/usage?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', { token: admin });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error).toMatchObject({ code: 'invalid_range', details: [{ field: 'from' }] });
    expect((await api('PATCH', `/api/v1/admin/users/${user.userId}`, { token: admin, body: { role: 'root' } })).status).toBe(400);
  });
});

async function relayModelRequests(): Promise<{ a: number; b: number }> {
  const count = async (port: number) => {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith('http_requests_total{') && line.includes('route="/api/v1/models"'))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  };
  return { a: await count(APP_PORTS.relay), b: await count(SECOND_RELAY_PORT) };
}
