// Roles, sign-in and keys (docs/security.md): what each role may reach, keys capped by their owner's
// role at every use, the bootstrap admin, sign-in guessing counted before argon2, and floods of
// unauthenticated requests limited per client address — all through the real servers.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { resolve } from 'node:path';
import jwt from 'jsonwebtoken';
import Adb from '@devicefarmer/adbkit';
import Redis from 'ioredis';
import { REDIS_KEYS } from '@ish/contracts';
import { parseSigningKeys } from '@ish/auth-guard';
import { AdbDeviceSim, startAdbDeviceSim } from '@ish/adb-device-sim';
import { GATEWAY_URL, REDIS_URL, serviceUrl, STACK_DIR, TEST_STACK, testSecrets, api, createApiKey, signUp, signUpOperator, AppProcess, startApp, stopApp, waitFor, waitReady } from '@ish/test-support';

type ErrorBody = { error: { type: string; code: string; message: string; param?: string; details?: { field: string; message: string }[] } };

const ADMIN = () => testSecrets().adminApiKey;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** an HTTP call whose connection leaves from `localAddress` (any 127.0.0.0/8 address is this machine) */
function callFrom(localAddress: string, method: string, url: string, options: { headers?: Record<string, string>; body?: unknown } = {}): Promise<{ status: number; body: string }> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((done, fail) => {
    const req = httpRequest(url, { method, localAddress, agent: false, headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...(options.headers ?? {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    req.end(payload);
  });
}

async function passwordVerifications(): Promise<number> {
  const text = await (await fetch(`${serviceUrl('auth')}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('auth_password_verifications_total'));
  return line ? Number(line.split(' ').pop()) : 0;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe('roles and scopes', () => {
  it('user, operator and admin reach what API.md gives each role, and /me names those scopes', async () => {
    const [user, operator, admin] = await Promise.all([signUp('matrix-user'), signUpOperator('matrix-operator'), signUp('matrix-admin', undefined, 'admin')]);
    // [method, path, body, expected for user, operator, admin]
    const matrix: [string, string, unknown, number, number, number][] = [
      ['GET', '/api/v1/models', undefined, 200, 200, 200],
      ['GET', '/api/v1/webhooks', undefined, 200, 200, 200],
      ['GET', '/api/v1/jobs', undefined, 200, 200, 200],
      ['GET', '/api/v1/instances', undefined, 403, 200, 200],
      // a write the scope lets through reaches validation (400); nothing is changed
      ['PUT', '/api/v1/routing', { strategy: 'no-such-strategy' }, 403, 400, 400],
      ['GET', '/api/v1/android/devices', undefined, 403, 200, 200],
      ['POST', '/api/v1/android/execute', {}, 403, 400, 400],
      ['GET', '/api/v1/admin/users', undefined, 403, 403, 200],
      ['GET', '/api/v1/android/audit', undefined, 403, 403, 200],
    ];
    for (const [method, path, body, ...expected] of matrix) {
      const statuses = [];
      for (const who of [user, operator, admin]) statuses.push((await api(method, path, { token: who.accessToken, body })).status);
      expect([method, path, ...statuses]).toEqual([method, path, ...expected]);
    }
    const scopes = async (token: string) => (await api<{ role: string; scopes: string[] }>('GET', '/api/v1/auth/me', { token })).body;
    expect(await scopes(user.accessToken)).toMatchObject({ role: 'user', scopes: ['chat', 'webhooks'] });
    expect(await scopes(operator.accessToken)).toMatchObject({ role: 'operator', scopes: ['chat', 'webhooks', 'instances:read', 'instances:write', 'android:read', 'android:execute'] });
    expect(await scopes(admin.accessToken)).toMatchObject({ role: 'admin', scopes: ['admin'] });
    // nobody mints a key with more than their role: a user gets no instances key
    const minted = await api<ErrorBody>('POST', '/api/v1/auth/api-keys', { token: user.accessToken, body: { name: 'x', scopes: ['chat', 'instances:read'] } });
    expect([minted.status, minted.body.error.code]).toEqual([403, 'scope_not_allowed']);
  });

  it("caps a key by its owner's current role at every use: demoted, its instances scope stops at once; promoted again, it returns", async () => {
    const operator = await signUpOperator('demoted');
    const key = await createApiKey(operator.accessToken, 'ops', ['chat', 'instances:read']);
    expect((await api('GET', '/api/v1/instances', { token: key })).status).toBe(200);
    expect((await api('PATCH', `/api/v1/admin/users/${operator.userId}`, { token: ADMIN(), body: { role: 'user' } })).status).toBe(200);
    await waitFor('the demoted key to lose instances:read', async () => (await api('GET', '/api/v1/instances', { token: key })).status === 403, 2000, 50);
    const me = await api<{ scopes: string[] }>('GET', '/api/v1/auth/me', { token: key });
    expect(me.body.scopes).toEqual(['chat']);
    expect((await api('GET', '/api/v1/models', { token: key })).status).toBe(200);
    expect((await api('PATCH', `/api/v1/admin/users/${operator.userId}`, { token: ADMIN(), body: { role: 'operator' } })).status).toBe(200);
    await waitFor('the key to hold instances:read again', async () => (await api('GET', '/api/v1/instances', { token: key })).status === 200, 2000, 50);
  });

  it("an admin's chat-only key is no admin: /admin/*, the audit and other users' keys stay out of reach", async () => {
    const chatOnly = await api<{ key: string }>('POST', '/api/v1/auth/api-keys', { token: ADMIN(), body: { name: 'admin chat only', scopes: ['chat'] } });
    expect(chatOnly.status).toBe(201);
    const key = chatOnly.body.key;
    const stranger = await signUp('chat-only-target');
    const theirs = (await api<{ id: string }>('POST', '/api/v1/auth/api-keys', { token: stranger.accessToken, body: { name: 'theirs', scopes: ['chat'] } })).body.id;

    for (const [method, path, body] of [
      ['GET', '/api/v1/admin/users'],
      ['GET', '/api/v1/admin/usage'],
      ['PATCH', `/api/v1/admin/users/${stranger.userId}`, { role: 'admin' }],
      ['GET', '/api/v1/android/audit'],
    ] as [string, string, unknown?][]) {
      const answer = await api<ErrorBody>(method, path, { token: key, body });
      expect([method, path, answer.status, answer.body.error.type]).toEqual([method, path, 403, 'permission_error']);
    }
    // revoking another user's key is an admin power: by scope, not by the owner's role
    expect((await api('DELETE', `/api/v1/auth/api-keys/${theirs}`, { token: key })).status).toBe(404);
    expect((await api('DELETE', `/api/v1/auth/api-keys/${theirs}`, { token: ADMIN() })).status).toBe(204);
    // and an unlimited key is an admin's to make
    expect((await api('POST', '/api/v1/auth/api-keys', { token: key, body: { name: 'x', scopes: ['chat'], rateLimitPerMinute: 0 } })).status).toBe(403);
  });

  it('/jobs and /events need chat', async () => {
    const user = await signUp('no-chat');
    const hooksOnly = await createApiKey(user.accessToken, 'hooks', ['webhooks']);
    expect((await api('GET', '/api/v1/jobs', { token: hooksOnly })).status).toBe(403);
    expect((await api('GET', `/api/v1/jobs/${randomUUID()}`, { token: hooksOnly })).status).toBe(403);
    const events = await fetch(`${GATEWAY_URL}/api/v1/events`, { headers: { authorization: `Bearer ${hooksOnly}` } });
    expect(events.status).toBe(403);
    await events.body?.cancel();
  });
});

describe('keys made with keys', () => {
  it('neither outlive nor out-scope the key that made them', async () => {
    const user = await signUp('minting');
    const parentExpiry = new Date(Date.now() + 3600_000);
    const parent = await api<{ key: string; expiresAt: string }>('POST', '/api/v1/auth/api-keys', {
      token: user.accessToken,
      body: { name: 'parent', scopes: ['chat'], expiresAt: parentExpiry.toISOString() },
    });
    expect(parent.status).toBe(201);

    const inherits = await api<{ expiresAt: string; scopes: string[] }>('POST', '/api/v1/auth/api-keys', { token: parent.body.key, body: { name: 'child', scopes: ['chat'] } });
    expect(inherits.status).toBe(201);
    expect(inherits.body.expiresAt).toBe(parent.body.expiresAt);

    const earlier = new Date(Date.now() + 1800_000).toISOString();
    const sooner = await api<{ expiresAt: string }>('POST', '/api/v1/auth/api-keys', { token: parent.body.key, body: { name: 'sooner', scopes: ['chat'], expiresAt: earlier } });
    expect([sooner.status, sooner.body.expiresAt]).toEqual([201, earlier]);

    const later = await api<ErrorBody>('POST', '/api/v1/auth/api-keys', {
      token: parent.body.key,
      body: { name: 'later', scopes: ['chat'], expiresAt: new Date(Date.now() + 7200_000).toISOString() },
    });
    expect(later.status).toBe(400);
    expect(later.body.error).toMatchObject({ type: 'invalid_request_error', code: 'expires_after_parent', param: 'expiresAt' });

    // the user holds webhooks; the key that would make this one does not
    const wider = await api<ErrorBody>('POST', '/api/v1/auth/api-keys', { token: parent.body.key, body: { name: 'wider', scopes: ['chat', 'webhooks'] } });
    expect([wider.status, wider.body.error.code]).toEqual([403, 'scope_not_allowed']);
    // the session itself still may
    expect((await api('POST', '/api/v1/auth/api-keys', { token: user.accessToken, body: { name: 'wider', scopes: ['chat', 'webhooks'] } })).status).toBe(201);
  });
});

describe('access tokens', () => {
  it('a correctly signed token without exp is refused (401); the same with exp is accepted', async () => {
    const user = await signUp('no-exp');
    const [key] = parseSigningKeys(testSecrets().jwtKeys);
    const claims = { sub: user.userId, email: user.email, role: 'user', scopes: ['chat', 'webhooks'], sid: randomUUID(), iat: Math.floor(Date.now() / 1000), iat_ms: Date.now() };
    const endless = jwt.sign(claims, key.secret, { algorithm: 'HS256', keyid: key.kid, issuer: 'ish-chat' });
    const expiring = jwt.sign({ ...claims, exp: claims.iat + 300 }, key.secret, { algorithm: 'HS256', keyid: key.kid, issuer: 'ish-chat' });
    expect((await api('GET', '/api/v1/auth/me', { token: expiring })).status).toBe(200);
    for (const path of ['/api/v1/auth/me', '/api/v1/models', '/api/v1/webhooks']) {
      const refused = await api<ErrorBody>('GET', path, { token: endless });
      expect([path, refused.status, refused.body.error.type]).toEqual([path, 401, 'authentication_error']);
    }
  });
});

describe('the bootstrap admin', () => {
  it('ADMIN_EMAIL cannot be registered', async () => {
    for (const email of ['admin@ish.local', 'Admin@ISH.local']) {
      const answer = await api<ErrorBody>('POST', '/api/v1/auth/register', { body: { email, password: 'correct horse battery staple' } });
      expect([email, answer.status, answer.body.error.type]).toEqual([email, 409, 'conflict_error']);
    }
  });

  it('start-up refuses, naming ADMIN_EMAIL, when that account was registered rather than made by the system; it stays a plain user', async () => {
    const squatter = await signUp('squatter');
    const port = 18031;
    const intruderKey = `ish_${randomBytes(32).toString('base64url')}`;
    let auth: AppProcess | undefined;
    try {
      auth = startApp('auth', { port, env: { ADMIN_EMAIL: squatter.email, ISH_ADMIN_API_KEY: intruderKey } });
      const code = await Promise.race([auth.exited, new Promise<string>((done) => setTimeout(() => done('still running'), 60_000))]);
      expect(code).not.toBe('still running');
      expect(code).not.toBe(0);
    } finally {
      if (auth) await stopApp(auth);
    }
    const log = readFileSync(resolve(STACK_DIR, 'logs', `auth-${port}.log`), 'utf8');
    expect(log).toContain(`ADMIN_EMAIL ${squatter.email} belongs to an account that was registered`);
    expect(log).not.toContain(intruderKey);
    const users = await api<{ email: string; role: string }[]>('GET', '/api/v1/admin/users', { token: ADMIN() });
    expect(users.body.find((u) => u.email === squatter.email)?.role).toBe('user');
    expect((await api('GET', '/api/v1/auth/me', { token: intruderKey })).status).toBe(401);
    const me = await api<{ role: string }>('GET', '/api/v1/auth/me', { token: squatter.accessToken });
    expect(me.body.role).toBe('user');
  }, 90_000);
});

describe('screenshots', () => {
  let phone: AdbDeviceSim;
  let other: AdbDeviceSim;
  const adb = Adb.createClient({ host: '127.0.0.1', port: Number(TEST_STACK.ADB_PORT) });
  adb.on('error', () => undefined);

  beforeAll(async () => {
    [phone, other] = await Promise.all([startAdbDeviceSim({ model: 'Shot Phone' }), startAdbDeviceSim({ model: 'Other Phone' })]);
    for (const sim of [phone, other]) {
      const connected = await api<{ state: string }>('POST', '/api/v1/android/devices/connect', { token: ADMIN(), body: { host: '127.0.0.1', port: sim.port } });
      expect(connected.body.state).toBe('device');
    }
  });

  afterAll(async () => {
    await Promise.allSettled([phone, other].map((sim) => sim && adb.disconnect(sim.serial)));
    await Promise.allSettled([phone?.close(), other?.close()]);
  });

  const screenshot = (serial: string, token: string) => fetch(`${GATEWAY_URL}/api/v1/android/devices/${serial}/screenshot`, { headers: { authorization: `Bearer ${token}` } });

  it("a plain user's screenshot is refused (403) and nothing runs on the phone; an operator's is a PNG", async () => {
    const [user, operator] = await Promise.all([signUp('shot-user'), signUpOperator('shot-operator')]);
    phone.resetStats();
    const refused = await screenshot(phone.serial, user.accessToken);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorBody).error).toMatchObject({ type: 'permission_error', code: 'insufficient_scope' });
    expect(phone.stats().shellsStarted).toBe(0);
    // a user's key cannot hold android:execute, and a key minted before a demotion loses it
    expect((await api('POST', '/api/v1/auth/api-keys', { token: user.accessToken, body: { name: 'x', scopes: ['android:execute'] } })).status).toBe(403);

    const taken = await screenshot(phone.serial, operator.accessToken);
    expect(taken.status).toBe(200);
    expect(Buffer.from(await taken.arrayBuffer()).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('are rate limited per device (429 in the API.md shape) and another device is not affected', async () => {
    const operator = await signUpOperator('shot-loop');
    // a device's serial is 127.0.0.1:<port>, and another suite's simulated phone may have had this port (and its
    // screenshots counted) within the minute: start from an empty count for this serial
    const redis = new Redis(REDIS_URL);
    await redis.del(`${REDIS_KEYS.screenshotRateLimitPrefix}:${other.serial}`).finally(() => redis.quit());
    const statuses: number[] = [];
    let refusal: Response | undefined;
    for (let i = 0; i < 20 && !refusal; i++) {
      const answer = await screenshot(other.serial, operator.accessToken);
      statuses.push(answer.status);
      if (answer.status === 429) refusal = answer;
      else await answer.arrayBuffer();
    }
    // ANDROID_SCREENSHOTS_PER_MINUTE (12) per device and minute
    expect(statuses).toEqual([...Array(12).fill(200), 429]);
    expect(Number(refusal!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refusal!.json()) as ErrorBody).error).toMatchObject({ type: 'rate_limit_error', code: 'screenshot_rate_limited' });
    // the phone's lock stays free for real commands
    const command = await api<{ stdout: string }>('POST', '/api/v1/android/execute', { token: operator.accessToken, body: { serial: other.serial, command: 'echo', args: ['free'] } });
    expect([command.status, command.body.stdout]).toEqual([200, 'free\n']);
    const elsewhere = await screenshot(phone.serial, operator.accessToken);
    expect(elsewhere.status).toBe(200);
    await elsewhere.arrayBuffer();
  });
});

describe('sign-in guessing', () => {
  it('30 parallel wrong sign-ins for one account from one address reach the password check at most 10 times; the owner elsewhere still signs in', async () => {
    const victim = await signUp('guessed');
    const attacker = '127.0.0.2';
    const before = await passwordVerifications();
    const guesses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => callFrom(attacker, 'POST', `${GATEWAY_URL}/api/v1/auth/login`, { body: { email: victim.email, password: `guess number ${i} of many` } })),
    );
    const checked = (await passwordVerifications()) - before;
    const statuses = guesses.map((g) => g.status);
    expect(checked).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    const refused = JSON.parse(guesses.find((g) => g.status === 429)!.body) as ErrorBody;
    expect(refused.error).toMatchObject({ type: 'rate_limit_error', code: 'too_many_login_attempts' });

    // the right password from the guessing address waits too (no password check: no oracle) …
    const sameAddress = await callFrom(attacker, 'POST', `${GATEWAY_URL}/api/v1/auth/login`, { body: { email: victim.email, password: victim.password } });
    expect(sameAddress.status).toBe(429);
    // … while the owner, at another address, is not locked out
    const owner = await api('POST', '/api/v1/auth/login', { body: { email: victim.email, password: victim.password } });
    expect(owner.status).toBe(200);
  });
});

describe('unauthenticated floods', () => {
  let relay: AppProcess | undefined;
  const LIMIT = 40;

  beforeAll(async () => {
    // a relay of its own with a small per-address budget, trusting no proxy on this machine: the
    // X-Forwarded-For the flood sends must not buy it fresh addresses
    relay = startApp('relay', { port: 18032, env: { AUTH_RATE_LIMIT_PER_MINUTE: String(LIMIT), TRUSTED_PROXIES: '192.0.2.1' } });
    await waitReady(relay, 60_000);
  }, 90_000);

  afterAll(async () => {
    if (relay) await stopApp(relay);
  });

  it('a flood of random keys gets 429 while a valid key keeps answering 200', async () => {
    const base = relay!.url;
    const valid = (await api<{ key: string }>('POST', '/api/v1/auth/api-keys', { token: ADMIN(), body: { name: 'flood survivor', scopes: ['chat'], rateLimitPerMinute: 0 } })).body.key;
    const timedCall = async () => {
      const started = performance.now();
      const answer = await api('GET', '/api/v1/models', { token: valid, base });
      return { status: answer.status, ms: performance.now() - started };
    };
    const calm: { status: number; ms: number }[] = [];
    for (let i = 0; i < 20; i++) calm.push(await timedCall());

    let flooding = true;
    const during: { status: number; ms: number }[] = [];
    const survivor = (async () => {
      while (flooding) during.push(await timedCall());
    })();
    const flood: number[] = [];
    const senders = Array.from({ length: 10 }, async () => {
      for (let i = 0; i < 30; i++) {
        const spoofed = `198.51.100.${Math.floor(Math.random() * 250)}`;
        const answer = await api('GET', '/api/v1/models', { base, token: `ish_${randomBytes(32).toString('base64url')}`, headers: { 'x-forwarded-for': spoofed, 'x-real-ip': spoofed } });
        flood.push(answer.status);
      }
    });
    await Promise.all(senders);
    flooding = false;
    await survivor;

    expect(flood.every((s) => s === 401 || s === 429)).toBe(true);
    expect(flood.filter((s) => s === 401).length).toBeLessThanOrEqual(LIMIT);
    expect(flood.filter((s) => s === 429).length).toBeGreaterThanOrEqual(300 - LIMIT);
    expect(calm.every((c) => c.status === 200)).toBe(true);
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((c) => c.status === 200)).toBe(true);
    process.stdout.write(`valid key p50: ${median(calm.map((c) => c.ms)).toFixed(1)} ms calm, ${median(during.map((c) => c.ms)).toFixed(1)} ms during a flood of ${flood.length} random keys (${during.length} calls)\n`);

    // the same address with no credential at all is out of budget too; a valid session is not
    const bare = await api<ErrorBody>('GET', '/api/v1/models', { base });
    expect([bare.status, bare.body.error.type]).toEqual([429, 'rate_limit_error']);
    expect(Number(bare.headers.get('retry-after'))).toBeGreaterThan(0);
    const user = await signUp('after-flood');
    expect((await api('GET', '/api/v1/models', { base, token: user.accessToken })).status).toBe(200);
  }, 60_000);
});
