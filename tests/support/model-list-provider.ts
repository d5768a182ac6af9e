import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ModelListProvider {
  port: number;
  close(): Promise<void>;
}

/** A provider that answers every request with a one-model list and shows each request's headers to `seen`: for tests of what reaches a provider. */
export async function startModelListProvider(seen: (headers: IncomingHttpHeaders) => void, host?: string): Promise<ModelListProvider> {
  const server = createServer((req, res) => {
    seen(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-4o' }] }));
  });
  await new Promise<void>((resolve) => (host === undefined ? server.listen(0, resolve) : server.listen(0, host, resolve)));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
