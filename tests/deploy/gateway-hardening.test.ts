import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import type { TLSSocket } from 'node:tls';
import { join, resolve } from 'node:path';
import { GatewayUpstreams, HSTS_HEADER, renderGatewayConfig } from '@ish/gateway';
import { REPO_ROOT } from '@ish/test-support';
import { RunningNginx, sparePorts, startNginx } from './support/nginx';
import { run } from './support/tools';

/**
 * The gateway's own protections, each against a real nginx (Debian's) started here on spare ports with a config
 * rendered from the shipped template, in front of an upstream that answers with the headers it was sent.
 */

interface Seen {
  xForwardedFor?: string;
  xRealIp?: string;
}

let upstream: Server;
let upstreamPort: number;
const dirs: string[] = [];
const running: RunningNginx[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const headers: IncomingHttpHeaders = req.headers;
    const seen: Seen = { xForwardedFor: headers['x-forwarded-for'] as string | undefined, xRealIp: headers['x-real-ip'] as string | undefined };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(seen));
  });
  await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
  upstreamPort = (upstream.address() as { port: number }).port;
});

afterAll(async () => {
  await Promise.all(running.map((nginx) => nginx.stop()));
  await new Promise((done) => upstream.close(done));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** nginx with the template rendered for `options`, every service being the echoing upstream */
async function gateway(options: Partial<GatewayUpstreams> = {}): Promise<{ url: string; port: number; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ish-gateway-'));
  dirs.push(dir);
  // nginx started as root serves files as nobody
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'index.html'), '<div id="root"></div>', { mode: 0o644 });
  const [port] = await sparePorts(1);
  const servers = [`127.0.0.1:${upstreamPort}`];
  const site = renderGatewayConfig({ listen: `127.0.0.1:${port}`, bodyLimit: '1m', auth: servers, relay: servers, instanceManager: servers, androidBridge: servers, webRoot: dir, ...options });
  running.push(await startNginx(dir, site, options.tls ? Number(options.tls.listen.split(':').pop()) : port));
  return { url: `http://127.0.0.1:${port}`, port, dir };
}

describe('limit_req per client address on /api/v1/', () => {
  it('answers past the rate and burst with 429 in the API.md shape, with Retry-After and the request id', async () => {
    const { url } = await gateway({ rateLimit: '1r/m', rateBurst: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${url}/api/v1/models`)).status);
    expect(statuses).toEqual([200, 200, 200]);
    const limited = await fetch(`${url}/api/v1/models`, { headers: { 'x-request-id': 'flood-1' } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toBe('application/json');
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('x-request-id')).toBe('flood-1');
    expect(await limited.json()).toEqual({ error: { type: 'rate_limit_error', code: 'rate_limited', message: 'Too many requests from this address' } });
    // the console and its files are not counted
    for (let i = 0; i < 5; i++) expect((await fetch(`${url}/`)).status).toBe(200);
  });

  it('is generous by default: 300 requests at once from one address all pass (tests and the load benchmark come from 127.0.0.1)', async () => {
    const { url } = await gateway();
    const statuses = await Promise.all(Array.from({ length: 300 }, () => fetch(`${url}/api/v1/models`).then((r) => r.status)));
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });
});

describe('client addresses: X-Forwarded-For and X-Real-IP', () => {
  it('overwrites what the client sent with the address nginx saw, so the apps can trust it', async () => {
    const { url } = await gateway();
    const seen = (await (await fetch(`${url}/api/v1/models`, { headers: { 'x-forwarded-for': '198.51.100.66', 'x-real-ip': '198.51.100.66' } })).json()) as Seen;
    expect(seen).toEqual({ xForwardedFor: '127.0.0.1', xRealIp: '127.0.0.1' });
  });

  it('ignores a spoofed X-Forwarded-For for rate limiting unless the sender is a trusted proxy', async () => {
    const untrusted = await gateway({ rateLimit: '1r/m', rateBurst: 1 });
    const statuses: number[] = [];
    // each request claims another address: still one client, with one allowance (1 + a burst of 1)
    for (const claimed of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) statuses.push((await fetch(`${untrusted.url}/api/v1/models`, { headers: { 'x-forwarded-for': claimed } })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('takes the client address from X-Forwarded-For when a trusted proxy (GATEWAY_TRUSTED_PROXIES) sent it', async () => {
    const { url } = await gateway({ rateLimit: '1r/m', rateBurst: 1, trustedProxies: ['127.0.0.0/8'] });
    // the proxy appended the client to what the client claimed: the last address before the proxy counts
    const first = await fetch(`${url}/api/v1/models`, { headers: { 'x-forwarded-for': '198.51.100.66, 203.0.113.1' } });
    expect(await first.json()).toEqual({ xForwardedFor: '203.0.113.1', xRealIp: '203.0.113.1' });
    // each client behind the proxy has its own allowance (1 + a burst of 1)
    const statuses: number[] = [];
    for (const client of ['203.0.113.2', '203.0.113.1', '203.0.113.1']) statuses.push((await fetch(`${url}/api/v1/models`, { headers: { 'x-forwarded-for': client } })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe('TLS (GATEWAY_TLS_CERT, GATEWAY_TLS_KEY)', () => {
  it('serves HTTPS with HSTS and sends plain HTTP there with a 308 that keeps method and body', async () => {
    const certs = mkdtempSync(join(tmpdir(), 'ish-tls-'));
    dirs.push(certs);
    const cert = join(certs, 'cert.pem');
    const key = join(certs, 'key.pem');
    // a self-signed pair for 127.0.0.1, made with Debian's openssl
    run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost']);
    const [tlsPort] = await sparePorts(1);
    const { url } = await gateway({ tls: { cert, key, listen: `127.0.0.1:${tlsPort}`, publicPort: tlsPort } });

    const redirect = await fetch(`${url}/api/v1/chat/completions?x=1`, { method: 'POST', body: '{}', redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe(`https://127.0.0.1:${tlsPort}/api/v1/chat/completions?x=1`);

    const answer = await new Promise<{ status: number; headers: IncomingHttpHeaders; body: string; protocol: string }>((done, fail) => {
      const req = httpsRequest({ host: '127.0.0.1', port: tlsPort, path: '/api/v1/models', ca: readFileSync(cert), headers: { 'x-forwarded-for': '198.51.100.66' } }, (res) => {
        const protocol = (res.socket as TLSSocket).getProtocol() ?? '';
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body, protocol }));
      });
      req.on('error', fail);
      req.end();
    });
    expect(answer.status).toBe(200);
    expect(answer.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(answer.headers['strict-transport-security']).toBe(HSTS_HEADER);
    expect(JSON.parse(answer.body)).toEqual({ xForwardedFor: '127.0.0.1', xRealIp: '127.0.0.1' });
  });

  it('stops npm start before nginx when only one of the pair is set, naming both variables', () => {
    const result = spawnSync(process.execPath, [resolve(REPO_ROOT, 'dist/tools/gateway/render-nginx.js'), join(tmpdir(), 'ish-never-written.conf')], {
      env: { PATH: process.env.PATH ?? '', GATEWAY_TLS_CERT: '/etc/ssl/ish/cert.pem' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('render-nginx: GATEWAY_TLS_CERT and GATEWAY_TLS_KEY go together: set both for HTTPS, or neither');
  });
});
