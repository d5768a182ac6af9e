import { Agent, createServer, IncomingMessage, request, Server, ServerResponse } from 'node:http';

/**
 * Issue 23's floor: the least a relay can do in Node — a keep-alive `node:http` proxy that checks
 * the key in a Map, parses the JSON body and serializes it again, and forwards it to one upstream,
 * piping the answer back (a stream included). Nothing else: no framework, validation, rate limit,
 * log or metric. The relay's figures are read against it. Run as its own process:
 * `node dist/tools/bench/floor-proxy.js <port> <upstream base URL> <key>`.
 */
export function startFloorProxy(port: number, upstream: string, key: string): Promise<Server> {
  const keys = new Map([[key, { id: 'bench' }]]);
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 65_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const credential = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!keys.has(credential)) return end(res, 401, '{"error":{"type":"authentication_error"}}');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return end(res, 400, '{"error":{"type":"invalid_request_error"}}');
    }
    const payload = JSON.stringify(body);
    const out = request(
      { agent, host: target.hostname, port: target.port, method: 'POST', path: `${target.pathname.replace(/\/$/, '')}${req.url?.replace(/^\/api\/v1/, '') ?? ''}`, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
        answer.pipe(res);
      },
    );
    out.on('error', () => end(res, 502, '{"error":{"type":"upstream_error"}}'));
    out.end(payload);
  }

  return new Promise((ready) => server.listen(port, '127.0.0.1', 4096, () => ready(server)));
}

function end(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body);
}

if (require.main === module) {
  const [port, upstream, key] = process.argv.slice(2);
  void startFloorProxy(Number(port), upstream, key).then(() => process.stdout.write(`floor proxy on ${port}\n`));
}
