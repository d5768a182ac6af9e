import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderClient } from './provider-client';

export type UpstreamHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real HTTP server on a free port standing for a provider, answering as each test says; `url` is its origin plus `basePath`. */
export async function serveUpstream(handler: UpstreamHandler, basePath = '') {
  const seen: SeenRequest[] = [];
  const closed: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      res.on('close', () => closed.push(req.url!));
      handler(req, res, body);
    });
  });
  const connections = { open: 0, closed: 0 };
  server.on('connection', (socket) => {
    connections.open++;
    socket.on('close', () => connections.closed++);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${basePath}`,
    seen,
    closed,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Upstream = Awaited<ReturnType<typeof serveUpstream>>;

/** After each test of the enclosing `describe`, closes the client and the server it used (closing twice is harmless). */
export function closeAfterEach(used: () => { client?: ProviderClient; server?: Upstream }): void {
  afterEach(async () => {
    const { client, server } = used();
    client?.close();
    await server?.close();
  });
}
