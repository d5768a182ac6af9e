import { api, JsonResponse, signUp, addSimInstance, SimInstance, testSecrets, waitForModel, waitFor } from '@ish/test-support';

type ErrorBody = { error: { type: string; code: string; message: string; param?: string; details?: { field: string; message: string }[] } };
type AnthropicErrorBody = { type: string; error: { type: string; code?: string; message: string } };
type KeyBody = { id: string; key: string; allowedModels: string[] | null; warnings?: { field: string; message: string }[] };

const RUN = Date.now().toString(36);
// two models of one OpenAI instance and one of an OpenAI-compatible instance, all answered by simulators
const ALLOWED = `gm-allowed-${RUN}`;
const OTHER = `gm-other-${RUN}`;
const COMPAT = `gm-compat-${RUN}`;
const SIM_KEY = 'sim-allowed-models-key';
const admin = testSecrets().adminApiKey;
let openai: SimInstance;
let compat: SimInstance;

beforeAll(async () => {
  openai = await addSimInstance(`gm-openai-${RUN}`, { models: [ALLOWED, OTHER], apiKey: SIM_KEY }, { providerType: 'openai', apiKey: SIM_KEY });
  compat = await addSimInstance(`gm-compat-${RUN}`, { models: [COMPAT] });
  await waitForModel(ALLOWED);
  await waitForModel(COMPAT);
});

afterAll(async () => {
  await openai?.close();
  await compat?.close();
});

async function newKey(token: string, allowedModels?: string[] | null): Promise<JsonResponse<KeyBody>> {
  const created = await api<KeyBody>('POST', '/api/v1/auth/api-keys', { token, body: { name: 'models', scopes: ['chat'], ...(allowedModels !== undefined ? { allowedModels } : {}) } });
  expect(created.status).toBe(201);
  return created;
}

const chat = (token: string, model: string) => api<ErrorBody>('POST', '/api/v1/chat/completions', { token, body: { model, messages: [{ role: 'user', content: 'hi' }] } });
const messages = (token: string, model: string) =>
  api<AnthropicErrorBody>('POST', '/api/v1/messages', { body: { model, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }, headers: { 'x-api-key': token, 'anthropic-version': '2023-06-01' } });
const embed = (token: string, model: string) => api<ErrorBody>('POST', '/api/v1/embeddings', { token, body: { model, input: 'hello' } });
const relay = (token: string, model: string, mode: 'sync' | 'async' = 'sync') => api<ErrorBody>('POST', '/api/v1/relay', { token, body: { message: 'hi', model, mode } });
const listed = async (token: string) => (await api<{ data: { id: string }[] }>('GET', '/api/v1/models', { token })).body.data.map((m) => m.id);
const me = async (token: string) => (await api<{ allowedModels: string[] | null }>('GET', '/api/v1/auth/me', { token })).body.allowedModels;

/**
 * A change is broadcast, so it takes effect everywhere within moments (API.md: within 1 second, like a
 * revocation); then it holds on four requests in a row, which nginx spreads over both relays.
 */
async function everyRelaySees(holds: () => Promise<boolean>): Promise<void> {
  await waitFor('the change on every relay', async () => {
    for (let i = 0; i < 4; i++) if (!(await holds())) return false;
    return true;
  }, 3_000, 50);
}

function expectRefused(response: JsonResponse<ErrorBody>, model: string): void {
  expect(response.status).toBe(403);
  expect(response.body.error).toMatchObject({ type: 'permission_error', code: 'model_not_allowed', param: 'model' });
  expect(response.body.error.message).toContain(model);
}

describe('allowedModels on an API key', () => {
  let user: Awaited<ReturnType<typeof signUp>>;
  let key: string;

  beforeAll(async () => {
    user = await signUp('allowed-models');
    key = (await newKey(user.accessToken, [ALLOWED])).body.key;
  });

  it('refuses another model on every AI route with 403 model_not_allowed, and serves its own', async () => {
    expectRefused(await chat(key, OTHER), OTHER);
    expect((await chat(key, ALLOWED)).status).toBe(200);

    const refused = await messages(key, OTHER);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ type: 'error', error: { type: 'permission_error' } });
    expect(refused.body.error.message).toContain(OTHER);
    expect((await messages(key, ALLOWED)).status).toBe(200);

    expectRefused(await embed(key, OTHER), OTHER);
    expect((await embed(key, ALLOWED)).status).toBe(200);

    expectRefused(await relay(key, OTHER), OTHER);
    expect((await relay(key, ALLOWED)).status).toBe(200);
    // async jobs are refused at submission, not when the worker runs them
    expectRefused(await relay(key, OTHER, 'async'), OTHER);
    expect((await relay(key, ALLOWED, 'async')).status).toBe(202);
  });

  it('lists only the models it may call, and shows its list in /auth/me and GET /api-keys', async () => {
    const models = await listed(key);
    expect(models).toContain(ALLOWED);
    expect(models).not.toContain(OTHER);
    expect(models).not.toContain(COMPAT);
    expect(await me(key)).toEqual([ALLOWED]);
    const keys = await api<{ prefix: string; allowedModels: string[] | null }[]>('GET', '/api/v1/auth/api-keys', { token: user.accessToken });
    expect(keys.body.find((k) => key.startsWith(k.prefix))?.allowedModels).toEqual([ALLOWED]);
    // the session itself has no list: every model
    expect(await me(user.accessToken)).toBeNull();
    expect(await listed(user.accessToken)).toEqual(expect.arrayContaining([ALLOWED, OTHER, COMPAT]));
  });

  it('allows provider/* on that provider only', async () => {
    const wildcard = (await newKey(user.accessToken, ['openai/*'])).body.key;
    expect((await chat(wildcard, OTHER)).status).toBe(200);
    expect((await chat(wildcard, `openai/${ALLOWED}`)).status).toBe(200);
    expectRefused(await chat(wildcard, COMPAT), COMPAT);
    expect(await listed(wildcard)).toEqual(expect.arrayContaining([ALLOWED, OTHER]));
    expect(await listed(wildcard)).not.toContain(COMPAT);
  });

  it('a PATCH takes effect on the next request, on every relay', async () => {
    const created = await newKey(user.accessToken, [ALLOWED]);
    const patch = (allowedModels: string[] | null) => api<KeyBody>('PATCH', `/api/v1/auth/api-keys/${created.body.id}`, { token: user.accessToken, body: { allowedModels } });
    expect((await chat(created.body.key, OTHER)).status).toBe(403);
    const patched = await patch([OTHER]);
    expect(patched.status).toBe(200);
    expect(patched.body.allowedModels).toEqual([OTHER]);
    // several requests: nginx spreads them over both relays, each must have dropped its cached key
    await everyRelaySees(async () => (await chat(created.body.key, OTHER)).status === 200 && (await chat(created.body.key, ALLOWED)).status === 403);
    expectRefused(await chat(created.body.key, ALLOWED), ALLOWED);
    expect((await patch(null)).body.allowedModels).toBeNull();
    await everyRelaySees(async () => (await chat(created.body.key, ALLOWED)).status === 200);
  });

  it('a key made with a key gets at most the making key\'s list', async () => {
    expect((await newKey(key)).body.allowedModels).toEqual([ALLOWED]);
    const narrowed = await newKey(key, [ALLOWED, OTHER]);
    expect(narrowed.body.allowedModels).toEqual([ALLOWED]);
    expectRefused(await chat(narrowed.body.key, OTHER), OTHER);
    // a session has no making key: it may give any list
    expect((await newKey(user.accessToken, [ALLOWED, OTHER])).body.allowedModels).toEqual([ALLOWED, OTHER]);
  });

  it('refuses a list that is not an array of non-empty strings with 400 naming the field', async () => {
    for (const allowedModels of ['gpt-4o', [''], [42], [{}]]) {
      const refused = await api<ErrorBody>('POST', '/api/v1/auth/api-keys', { token: user.accessToken, body: { name: 'bad', scopes: ['chat'], allowedModels } });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ type: 'invalid_request_error', param: 'allowedModels' });
    }
    const created = await newKey(user.accessToken, [ALLOWED]);
    const patched = await api<ErrorBody>('PATCH', `/api/v1/auth/api-keys/${created.body.id}`, { token: user.accessToken, body: { allowedModels: [''] } });
    expect(patched.status).toBe(400);
    expect(patched.body.error.param).toBe('allowedModels');
  });

  it('keeps entries naming nothing known, with a warning', async () => {
    const unknown = `no-such-model-${RUN}`;
    const created = await newKey(user.accessToken, [ALLOWED, unknown, 'anthropic/*']);
    expect(created.body.allowedModels).toEqual([ALLOWED, unknown, 'anthropic/*']);
    expect(created.body.warnings).toEqual([{ field: 'allowedModels', message: expect.stringContaining(unknown) }]);
    expect((await newKey(user.accessToken, [ALLOWED])).body.warnings).toBeUndefined();
  });
});

describe("allowedModels on a user caps the user's keys and sessions", () => {
  it('applies to keys without a list, keys with a wider list and the session, from the next request', async () => {
    const user = await signUp('allowed-models-user');
    const open = (await newKey(user.accessToken)).body.key;
    const wide = (await newKey(user.accessToken, [ALLOWED, OTHER])).body.key;
    expect((await chat(open, OTHER)).status).toBe(200);
    expect((await chat(user.accessToken, OTHER)).status).toBe(200);

    const patched = await api<{ allowedModels: string[] | null }>('PATCH', `/api/v1/admin/users/${user.userId}`, { token: admin, body: { allowedModels: [ALLOWED] } });
    expect(patched.status).toBe(200);
    expect(patched.body.allowedModels).toEqual([ALLOWED]);
    const users = await api<{ id: string; allowedModels: string[] | null }[]>('GET', '/api/v1/admin/users', { token: admin });
    expect(users.body.find((u) => u.id === user.userId)?.allowedModels).toEqual([ALLOWED]);

    for (const credential of [open, wide, user.accessToken]) {
      await everyRelaySees(async () => (await chat(credential, OTHER)).status === 403 && (await chat(credential, ALLOWED)).status === 200);
      expectRefused(await chat(credential, OTHER), OTHER);
    }
    expect(await me(wide)).toEqual([ALLOWED]);
    expect(await me(user.accessToken)).toEqual([ALLOWED]);
    expect(await listed(open)).not.toContain(OTHER);

    // the session keeps working (a list change is no revocation) and sees the list lifted
    await api('PATCH', `/api/v1/admin/users/${user.userId}`, { token: admin, body: { allowedModels: null } });
    await everyRelaySees(async () => (await chat(user.accessToken, OTHER)).status === 200);
    expect((await chat(wide, OTHER)).status).toBe(200);
  });

  it('refuses a bad list with 400 naming the field', async () => {
    const user = await signUp('allowed-models-bad');
    const refused = await api<ErrorBody>('PATCH', `/api/v1/admin/users/${user.userId}`, { token: admin, body: { allowedModels: [''] } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.param).toBe('allowedModels');
  });
});
