import { randomUUID } from 'node:crypto';
import { api, signUp } from '@ish/test-support';

type ErrorBody = { error: { type: string; code: string; message: string; details?: { field: string; message: string }[] } };
type WebhookView = { id: string; url: string; events: string[]; description: string | null; status: string; disabledAt: string | null; createdAt: string; secret?: string };

const URL = 'https://hooks.example.com/ish';
let owner: Awaited<ReturnType<typeof signUp>>;
let stranger: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  [owner, stranger] = await Promise.all([signUp('webhooks-owner'), signUp('webhooks-stranger')]);
});

function create(body: unknown, token = owner.accessToken) {
  return api<WebhookView & ErrorBody>('POST', '/api/v1/webhooks', { token, body });
}

describe('/api/v1/webhooks', () => {
  it('creates a subscription and shows its secret once', async () => {
    const created = await create({ url: URL, events: ['job.completed', 'job.failed'], description: 'my receiver' });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBeTruthy();
    expect(created.body).toEqual(
      expect.objectContaining({ id: expect.any(String), url: URL, events: ['job.completed', 'job.failed'], description: 'my receiver', status: 'active', secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]+=*$/) }),
    );

    const listed = await api<WebhookView[]>('GET', '/api/v1/webhooks', { token: owner.accessToken });
    expect(listed.status).toBe(200);
    const mine = listed.body.find((w) => w.id === created.body.id)!;
    expect(mine).toEqual(expect.objectContaining({ url: URL, events: ['job.completed', 'job.failed'] }));
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
    const one = await api<WebhookView>('GET', `/api/v1/webhooks/${created.body.id}`, { token: owner.accessToken });
    expect(one.body).not.toHaveProperty('secret');
    expect(await api<unknown[]>('GET', `/api/v1/webhooks/${created.body.id}/deliveries`, { token: owner.accessToken })).toEqual(expect.objectContaining({ status: 200, body: [] }));

    const all = await create({ url: 'http://127.0.0.1:9/any', events: ['*'] });
    expect(all.status).toBe(201);
    expect(all.body.events).toEqual(['*']);
  });

  it.each([
    ['a URL that is not http(s)', { url: 'ftp://example.com/hook', events: ['job.completed'] }, 'url', /http or https/],
    ['no URL', { events: ['job.completed'] }, 'url', /URL/],
    ['the metadata address', { url: 'http://169.254.169.254/latest/meta-data', events: ['job.completed'] }, 'url', /link-local or cloud-metadata/],
    ['a link-local IPv6 address', { url: 'http://[fe80::1]:8080/hook', events: ['job.completed'] }, 'url', /link-local or cloud-metadata/],
    ['credentials in the URL', { url: 'https://me:pw@example.com/hook', events: ['job.completed'] }, 'url', /credentials/],
    ['an empty event list', { url: URL, events: [] }, 'events', /at least one event/],
    ['an unknown event', { url: URL, events: ['job.completed', 'job.started'] }, 'events', /each event must be one of: job.completed, job.failed, instance.status_changed, device.state_changed, budget.warning, budget.exceeded, \*/],
    ['an event that is not for webhooks', { url: URL, events: ['credential.revoked'] }, 'events', /each event must be one of/],
    ['an extra field', { url: URL, events: ['job.completed'], secret: 'whsec_choose-my-own' }, 'secret', /unknown field/],
  ])('answers 400 naming the field for %s', async (_what, body, field, message) => {
    const refused = await create(body);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toEqual(expect.objectContaining({ type: 'invalid_request_error', code: 'validation_failed' }));
    const detail = refused.body.error.details?.find((d) => d.field === field);
    expect(detail?.message).toMatch(message);
  });

  it('needs a credential with the webhooks scope', async () => {
    expect((await api<ErrorBody>('GET', '/api/v1/webhooks')).status).toBe(401);
    const chatOnly = await api<{ key: string }>('POST', '/api/v1/auth/api-keys', { token: owner.accessToken, body: { name: 'chat only', scopes: ['chat'] } });
    const forbidden = await api<ErrorBody>('POST', '/api/v1/webhooks', { token: chatOnly.body.key, body: { url: URL, events: ['*'] } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.type).toBe('permission_error');
    const scoped = await api<{ key: string }>('POST', '/api/v1/auth/api-keys', { token: owner.accessToken, body: { name: 'hooks', scopes: ['webhooks'] } });
    expect((await api('GET', '/api/v1/webhooks', { token: scoped.body.key })).status).toBe(200);
  });

  it('shows, changes and deletes only the caller’s own subscriptions (404 otherwise)', async () => {
    const created = await create({ url: URL, events: ['job.failed'] });
    const id = created.body.id;
    const foreign = stranger.accessToken;
    expect((await api<ErrorBody>('GET', `/api/v1/webhooks/${id}`, { token: foreign })).status).toBe(404);
    expect((await api<ErrorBody>('GET', `/api/v1/webhooks/${id}/deliveries`, { token: foreign })).status).toBe(404);
    expect((await api<ErrorBody>('PATCH', `/api/v1/webhooks/${id}`, { token: foreign, body: { enabled: false } })).status).toBe(404);
    expect((await api<ErrorBody>('POST', `/api/v1/webhooks/${id}/deliveries/${randomUUID()}/redeliver`, { token: foreign })).status).toBe(404);
    const notDeleted = await api<ErrorBody>('DELETE', `/api/v1/webhooks/${id}`, { token: foreign });
    expect(notDeleted.status).toBe(404);
    expect(notDeleted.body.error.type).toBe('not_found_error');
    expect((await api<WebhookView[]>('GET', '/api/v1/webhooks', { token: foreign })).body.map((w) => w.id)).not.toContain(id);

    const unknownDelivery = await api<ErrorBody>('POST', `/api/v1/webhooks/${id}/deliveries/${randomUUID()}/redeliver`, { token: owner.accessToken });
    expect(unknownDelivery.status).toBe(404);
    expect(unknownDelivery.body.error.code).toBe('delivery_not_found');

    const paused = await api<WebhookView>('PATCH', `/api/v1/webhooks/${id}`, { token: owner.accessToken, body: { enabled: false, events: ['*'] } });
    expect(paused.body).toEqual(expect.objectContaining({ status: 'disabled', events: ['*'], disabledAt: expect.any(String) }));
    const resumed = await api<WebhookView>('PATCH', `/api/v1/webhooks/${id}`, { token: owner.accessToken, body: { enabled: true } });
    expect(resumed.body).toEqual(expect.objectContaining({ status: 'active', disabledAt: null }));
    expect((await api<ErrorBody>('PATCH', `/api/v1/webhooks/${id}`, { token: owner.accessToken, body: { url: 'http://169.254.169.254/' } })).status).toBe(400);

    expect((await api('DELETE', `/api/v1/webhooks/${id}`, { token: owner.accessToken })).status).toBe(204);
    expect((await api('GET', `/api/v1/webhooks/${id}`, { token: owner.accessToken })).status).toBe(404);
    expect((await api('DELETE', `/api/v1/webhooks/${id}`, { token: owner.accessToken })).status).toBe(404);
  });
});
