import { api, signUp, AppProcess, startApp, stopApp, waitReady } from '@ish/test-support';

type ErrorBody = { error: { type: string; code: string; details?: { field: string; message: string }[] } };

/** A relay process (the webhooks' owner) with the shipped default (WEBHOOK_ALLOW_PRIVATE_NETWORKS unset), beside the suite's opted-in one. */
const DEFAULT_RELAY_PORT = 18021;
let defaultRelay: AppProcess;
let owner: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  defaultRelay = startApp('relay', { port: DEFAULT_RELAY_PORT, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: '' } });
  [owner] = await Promise.all([signUp('webhook-targets'), waitReady(defaultRelay)]);
});

afterAll(async () => {
  if (defaultRelay) await stopApp(defaultRelay);
});

function urlProblem(response: { status: number; body: ErrorBody }): string | undefined {
  expect(response.status).toBe(400);
  expect(response.body.error).toEqual(expect.objectContaining({ type: 'invalid_request_error', code: 'validation_failed' }));
  return response.body.error.details?.find((d) => d.field === 'url')?.message;
}

describe('webhook targets', () => {
  it.each(['http://127.0.0.1:9/hook', 'http://localhost:9/hook', 'http://[::1]:9/hook', 'http://10.1.2.3/hook', 'http://192.168.0.10./hook'])(
    'refuses the private endpoint %s by default (400 at create)',
    async (url) => {
      const refused = await api<ErrorBody>('POST', '/api/v1/webhooks', { token: owner.accessToken, body: { url, events: ['job.completed'] }, base: defaultRelay.url });
      expect(urlProblem(refused)).toMatch(/private or loopback address \(WEBHOOK_ALLOW_PRIVATE_NETWORKS is off\)/);
    },
  );

  it('still accepts a public endpoint by default', async () => {
    const created = await api<{ id: string }>('POST', '/api/v1/webhooks', { token: owner.accessToken, body: { url: 'https://hooks.example.com/ish', events: ['job.completed'] }, base: defaultRelay.url });
    expect(created.status).toBe(201);
    expect((await api('DELETE', `/api/v1/webhooks/${created.body.id}`, { token: owner.accessToken })).status).toBe(204);
  });

  it.each(['http://[64:ff9b::7f00:1]/hook', 'http://[64:ff9b::a9fe:a9fe]/hook', 'http://[2002:7f00:1::1]/hook', 'http://[::7f00:1]/hook', 'http://192.0.0.170/hook'])(
    'refuses the NAT64 / 6to4 / special-purpose address %s even where private networks are allowed',
    async (url) => {
      const refused = await api<ErrorBody>('POST', '/api/v1/webhooks', { token: owner.accessToken, body: { url, events: ['job.completed'] } });
      expect(urlProblem(refused)).toMatch(/not a unicast address|link-local or cloud-metadata/);
    },
  );
});
