import { serviceUrl, api, signUp, AppProcess, startApp, stopApp, waitReady } from '@ish/test-support';

type OpenApi = { paths: Record<string, Record<string, { operationId?: string }>> };

/** An auth process without the instance key: while auth served webhooks it exited at start (WebhooksConfig). */
const KEYLESS_AUTH_PORT = 18024;
let keylessAuth: AppProcess | undefined;

afterAll(async () => {
  if (keylessAuth) await stopApp(keylessAuth);
});

async function openApiOf(url: string): Promise<OpenApi> {
  const response = await fetch(`${url}/openapi.json`);
  expect(response.status).toBe(200);
  return (await response.json()) as OpenApi;
}

const webhookPaths = (document: OpenApi) => Object.keys(document.paths).filter((path) => path.startsWith('/api/v1/webhooks'));

describe('the webhooks module', () => {
  it('is mounted by the relay: every subscription operation, with the operation ids it always had', async () => {
    const document = await openApiOf(serviceUrl('relay'));
    const operations = webhookPaths(document).flatMap((path) => Object.values(document.paths[path]).map((operation) => operation.operationId));
    expect(operations.sort()).toEqual(
      ['create', 'list', 'get', 'update', 'remove', 'deliveries', 'redeliver'].map((method) => `WebhooksController_${method}`).sort(),
    );
  });

  it('keeps the 64 KiB body limit subscriptions had in auth (413), below the relay default', async () => {
    const { accessToken } = await signUp('webhooks-body-limit');
    const body = { url: 'https://hooks.example.com/ish', events: ['job.completed'], description: 'x'.repeat(64 * 1024) };
    const refused = await api<{ error: { type: string; code: string; message: string } }>('POST', '/api/v1/webhooks', { token: accessToken, body });
    expect(refused.status).toBe(413);
    expect(refused.body.error).toEqual({ type: 'invalid_request_error', code: 'payload_too_large', message: 'The request body exceeds the limit of 65536 bytes' });
  });

  it('is not in auth, which starts without INSTANCE_KEY_ENCRYPTION_KEY', async () => {
    keylessAuth = startApp('auth', { port: KEYLESS_AUTH_PORT, env: { INSTANCE_KEY_ENCRYPTION_KEY: '' } });
    const exited = keylessAuth.exited.then((code) => `exited with ${code} (.stack/test/logs/auth-${KEYLESS_AUTH_PORT}.log)`);
    expect(await Promise.race([waitReady(keylessAuth).then(() => 'ready'), exited])).toBe('ready');
    expect(webhookPaths(await openApiOf(keylessAuth.url))).toEqual([]);
    expect(webhookPaths(await openApiOf(serviceUrl('auth')))).toEqual([]);
  });
});
