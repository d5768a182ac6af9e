import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { responseExcerpt, sendWebhook, WebhookSendOptions } from './webhook-sender';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

describe('sendWebhook', () => {
  let server: Server;
  let handler: Handler;
  let base: string;
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  const options: WebhookSendOptions = { timeoutMs: 1000, allowPrivateNetworks: true };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        handler(req, res, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    received.length = 0;
  });

  it('POSTs the body with the signature headers and reports a 2xx', async () => {
    handler = (_req, res) => res.writeHead(204).end();
    const result = await sendWebhook(`${base}/hook?x=1`, '{"a":1}', { 'webhook-id': 'msg_1' }, options);
    expect(result).toEqual({ ok: true, statusCode: 204, latencyMs: expect.any(Number), responseExcerpt: null, error: null });
    expect(received[0].body).toBe('{"a":1}');
    expect(received[0].headers).toEqual(expect.objectContaining({ 'webhook-id': 'msg_1', 'content-type': 'application/json' }));
  });

  it('reports a non-2xx, but never reads back what a loopback receiver answered', async () => {
    handler = (_req, res) => res.writeHead(503, { 'content-type': 'text/plain' }).end('busy, try later');
    const result = await sendWebhook(base, '{}', {}, options);
    expect(result).toEqual(expect.objectContaining({ ok: false, statusCode: 503, responseExcerpt: null, error: 'the endpoint answered 503' }));
  });

  it('stops reading a large answer', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      const chunk = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 32; i++) res.write(chunk);
      res.end();
    };
    const result = await sendWebhook(base, '{}', {}, { ...options, maxResponseBytes: 4096 });
    expect(result).toEqual(expect.objectContaining({ ok: true, responseExcerpt: null }));
  });

  it('keeps at most maxResponseBytes of an answer, storable (no NUL characters)', () => {
    expect(responseExcerpt([Buffer.from('x'.repeat(3000)), Buffer.from('y'.repeat(3000))], 4096)).toHaveLength(4096);
    expect(responseExcerpt([Buffer.from([0x62, 0x00, 0x61, 0x00, 0x64])], 4096)).toBe('bad');
    expect(responseExcerpt([], 4096)).toBeNull();
  });

  it('does not follow a redirect', async () => {
    handler = (req, res) => (req.url === '/elsewhere' ? res.writeHead(200).end() : res.writeHead(302, { location: '/elsewhere' }).end());
    const result = await sendWebhook(`${base}/start`, '{}', {}, options);
    expect(result).toEqual(expect.objectContaining({ ok: false, statusCode: 302, error: 'redirect not followed' }));
    expect(received.map((r) => r.body)).toHaveLength(1);
  });

  it('gives up at the timeout', async () => {
    handler = (_req, res) => setTimeout(() => res.writeHead(200).end(), 2000);
    const result = await sendWebhook(base, '{}', {}, { ...options, timeoutMs: 200 });
    expect(result).toEqual(expect.objectContaining({ ok: false, statusCode: null, error: 'timed out after 200 ms' }));
    expect(result.latencyMs).toBeGreaterThanOrEqual(190);
    expect(result.latencyMs).toBeLessThan(1000);
  });

  it('reports a connection error', async () => {
    const result = await sendWebhook('http://127.0.0.1:1/hook', '{}', {}, options);
    expect(result).toEqual(expect.objectContaining({ ok: false, statusCode: null, error: expect.stringMatching(/ECONNREFUSED/) }));
  });

  it('refuses a host name that resolves to the metadata address, without connecting', async () => {
    const resolve = jest.fn(async () => [{ address: '169.254.169.254', family: 4 }]);
    const result = await sendWebhook('http://metadata-alias.example.com/latest/meta-data', '{}', {}, { ...options, resolve });
    expect(resolve).toHaveBeenCalledWith('metadata-alias.example.com');
    expect(result).toEqual(expect.objectContaining({ ok: false, statusCode: null, error: expect.stringMatching(/^refused: metadata-alias.example.com resolves to 169.254.169.254 is a link-local/) }));
  });

  it('refuses a host name when any of its addresses is refused', async () => {
    const resolve = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: 'fe80::1', family: 6 },
    ];
    const result = await sendWebhook('http://mixed.example.com/', '{}', {}, { ...options, resolve });
    expect(result.error).toMatch(/^refused: .*fe80::1/);
  });

  it('refuses literal link-local addresses, and private ones when private networks are off', async () => {
    expect((await sendWebhook('http://169.254.169.254/', '{}', {}, options)).error).toMatch(/^refused: .*link-local/);
    expect((await sendWebhook('http://[::ffff:a9fe:a9fe]/', '{}', {}, options)).error).toMatch(/^refused: .*link-local/);
    expect((await sendWebhook(base, '{}', {}, { ...options, allowPrivateNetworks: false })).error).toMatch(/^refused: .*private or loopback/);
    expect(received).toHaveLength(0);
  });

  it('connects to the address it checked (no second lookup)', async () => {
    handler = (_req, res) => res.writeHead(200).end('ok');
    const port = (server.address() as AddressInfo).port;
    const resolve = jest.fn(async () => [{ address: '127.0.0.1', family: 4 }]);
    const result = await sendWebhook(`http://receiver.test:${port}/`, '{}', {}, { ...options, resolve });
    expect(result).toEqual(expect.objectContaining({ ok: true, statusCode: 200, responseExcerpt: null }));
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(received[0].headers.host).toBe(`receiver.test:${port}`);
  });

  it('refuses NAT64, 6to4 and IPv4-compatible forms of a loopback address even when private networks are allowed', async () => {
    for (const host of ['[64:ff9b::7f00:1]', '[64:ff9b::a9fe:a9fe]', '[2002:7f00:1::1]', '[::7f00:1]', '[::ffff:0:7f00:1]', '192.0.0.170']) {
      expect((await sendWebhook(`http://${host}/hook`, '{}', {}, options)).error).toMatch(/^refused: /);
    }
    const resolve = async () => [{ address: '64:ff9b::a00:1', family: 6 }];
    expect((await sendWebhook('http://dns64.example.com/', '{}', {}, { ...options, resolve })).error).toMatch(/^refused: dns64.example.com resolves to 64:ff9b::a00:1 is not a unicast/);
    expect(received).toHaveLength(0);
  });

  it('refuses a loopback receiver by default settings (private networks off), by address or by name', async () => {
    const off = { ...options, allowPrivateNetworks: false };
    expect((await sendWebhook(base, '{}', {}, off)).error).toMatch(/^refused: 127.0.0.1 resolves to 127.0.0.1 is a private or loopback address \(WEBHOOK_ALLOW_PRIVATE_NETWORKS is off\)/);
    const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    expect((await sendWebhook('http://localhost./hook', '{}', {}, { ...off, resolve })).error).toMatch(/^refused: localhost resolves to 127.0.0.1/);
    expect(received).toHaveLength(0);
  });

  it('refuses other schemes and reports a failing resolution', async () => {
    expect((await sendWebhook('ftp://example.com/', '{}', {}, options)).error).toMatch(/^refused: ftp:/);
    const resolve = async () => {
      throw new Error('getaddrinfo ENOTFOUND nowhere.invalid');
    };
    expect((await sendWebhook('http://nowhere.invalid/', '{}', {}, { ...options, resolve })).error).toMatch(/cannot resolve nowhere.invalid/);
  });
});
