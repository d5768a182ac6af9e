import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { InstanceKeyConfig, rowContext, SecretBox } from '@ish/platform';
import { ProvidersConfig } from '@ish/providers';
import { InstanceManagerConfig } from '../config';
import { InstanceProber, ProbeTarget } from './instance-prober';

const KEY = randomBytes(32).toString('base64');
const ID = '6f1d7c2a-0000-4000-8000-000000000001';
const sealed = (apiKey: string, key = KEY, id = ID) => new SecretBox(key).seal(apiKey, rowContext('ai_instances', id));

describe('InstanceProber', () => {
  let server: Server;
  let baseUrl: string;
  let answer: (req: IncomingMessage, res: ServerResponse) => void;
  const seen: { url?: string; authorization?: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url, authorization: req.headers.authorization });
      answer(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    seen.length = 0;
  });

  function prober(timeoutMs = 1000): InstanceProber {
    return new InstanceProber(Object.assign(new InstanceManagerConfig(), { HEALTH_PROBE_TIMEOUT_MS: timeoutMs }), Object.assign(new InstanceKeyConfig(), { INSTANCE_KEY_ENCRYPTION_KEY: KEY }), new ProvidersConfig());
  }

  function target(overrides: Partial<ProbeTarget> = {}): ProbeTarget {
    return { id: ID, providerType: 'openai-compatible', baseUrl, apiKeyEncrypted: null, ...overrides };
  }

  function json(status: number, body: unknown) {
    return (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
  }

  it('lists the models with the decrypted key and reports the latency', async () => {
    answer = json(200, { object: 'list', data: [{ id: 'gpt-4o', object: 'model', owned_by: 'x' }] });
    const outcome = await prober().probe(target({ providerType: 'openai', apiKeyEncrypted: sealed('sk-secret') }));
    expect(outcome).toEqual({ ok: true, latencyMs: expect.any(Number) });
    expect(seen).toEqual([{ url: '/v1/models', authorization: 'Bearer sk-secret' }]);
  });

  it('fails on a 5xx, naming the status and never the key', async () => {
    answer = json(500, { error: { message: 'boom', type: 'server_error' } });
    const outcome = await prober().probe(target({ apiKeyEncrypted: sealed('sk-secret') }));
    expect(outcome).toEqual({ ok: false, latencyMs: expect.any(Number), error: 'HTTP 500: boom' });
    expect(outcome.error).not.toContain('sk-secret');
  });

  it('cuts upstream text short and never repeats headers or the key in the probe error', async () => {
    answer = (req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end(`<h1>Bad gateway</h1> authorization: ${req.headers.authorization} ${'y'.repeat(1000)}`);
    const outcome = await prober().probe(target({ apiKeyEncrypted: sealed('sk-secret-probe-key') }));
    expect(outcome.error).toMatch(/^HTTP 502: <h1>Bad gateway<\/h1> authorization: \[redacted\] y+…$/);
    expect(outcome.error).not.toContain('sk-secret-probe-key');
    expect(outcome.error!.length).toBeLessThanOrEqual(210);
  });

  it('refuses the metadata address without calling out', async () => {
    expect(await prober().probe(target({ baseUrl: 'http://169.254.169.254/latest' }))).toMatchObject({ ok: false, error: expect.stringMatching(/link-local or cloud-metadata/) });
  });

  it('fails on a refused key', async () => {
    answer = json(401, { error: { message: 'invalid api key', type: 'invalid_request_error' } });
    expect(await prober().probe(target())).toMatchObject({ ok: false, error: 'HTTP 401: invalid api key' });
  });

  it('counts a server without a model list (404) as alive', async () => {
    answer = json(404, { error: { message: 'not found' } });
    expect(await prober().probe(target())).toMatchObject({ ok: true });
  });

  it('gives up after the probe timeout', async () => {
    answer = () => undefined;
    const outcome = await prober(200).probe(target());
    expect(outcome).toMatchObject({ ok: false, error: 'no answer within 200 ms' });
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(150);
  });

  it('fails when nothing listens', async () => {
    expect(await prober().probe(target({ baseUrl: 'http://127.0.0.1:1/v1' }))).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('does not open a key sealed for another instance (a ciphertext moved between rows)', async () => {
    expect(await prober().probe(target({ apiKeyEncrypted: sealed('sk-secret', KEY, '6f1d7c2a-0000-4000-8000-000000000002') }))).toMatchObject({ ok: false, error: expect.stringMatching(/cannot be decrypted/) });
    expect(seen).toEqual([]);
  });

  it('fails without calling out when the key cannot be opened or is missing', async () => {
    expect(await prober().probe(target({ apiKeyEncrypted: sealed('k', randomBytes(32).toString('base64')) }))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/cannot be decrypted/),
    });
    expect(await prober().probe(target({ providerType: 'openai' }))).toMatchObject({ ok: false, error: expect.stringMatching(/need an API key/) });
    expect(seen).toEqual([]);
  });
});
