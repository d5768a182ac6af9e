import type { INestApplication } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import { KEEP_ALIVE_TIMEOUT_MS, LISTEN_BACKLOG, listenOnFreePort } from './listen';

/** An app whose listen is node's own, on a real server: what listenOnFreePort asks of it is what a Nest app does. */
function appOn(server: Server, calls: unknown[][]): INestApplication {
  return {
    listen: (...args: unknown[]) => {
      calls.push(args);
      const [port, host, backlog] = args as [number, string, number];
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, backlog, () => resolve(server));
      });
    },
  } as unknown as INestApplication;
}

describe('listenOnFreePort', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
  });

  it('listens with a deep backlog and keeps idle connections open longer than the gateway does', async () => {
    const server = createServer();
    servers.push(server);
    const calls: unknown[][] = [];
    await listenOnFreePort(appOn(server, calls), 0, '127.0.0.1', false);
    expect(calls[0][2]).toBe(LISTEN_BACKLOG);
    expect(server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000); // nginx's upstream keepalive_timeout
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
  });

  it('takes the next port when scanning upward and the first is busy', async () => {
    const busy = createServer();
    servers.push(busy);
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
    const taken = (busy.address() as { port: number }).port;
    const server = createServer();
    servers.push(server);
    const port = await listenOnFreePort(appOn(server, []), taken, '127.0.0.1', true);
    expect(port).toBeGreaterThan(taken);
  });
});
