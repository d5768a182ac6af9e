import { createServer, Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { PlatformConfig } from '../config/platform.config';
import { RedisClient } from './redis';

/** Commands of a RESP stream (arrays of bulk strings), each answered by `answer`. */
function respServer(answer: (command: string[]) => string): Server {
  return createServer((socket: Socket) => {
    let pending = '';
    socket.on('data', (chunk) => {
      pending += chunk.toString('utf8');
      for (;;) {
        const lines = pending.split('\r\n');
        const count = Number(lines[0]?.slice(1));
        if (!lines[0]?.startsWith('*') || lines.length < 1 + 2 * count + 1) return;
        const command = Array.from({ length: count }, (_, i) => lines[2 + 2 * i]);
        pending = lines.slice(1 + 2 * count).join('\r\n');
        socket.write(answer(command));
      }
    });
  });
}

const bulk = (text: string) => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;

describe('RedisClient', () => {
  let server: Server | undefined;
  let client: RedisClient | undefined;
  afterEach(async () => {
    client?.disconnect();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  it('is usable as soon as Redis has loaded its data, not after the whole-second loading ETA', async () => {
    // Redis restarted with AOF: the first INFO finds it loading with an ETA of 1 s, it is done 50 ms later
    let loadedAt = Number.POSITIVE_INFINITY;
    server = respServer(([name]) => {
      if (name.toLowerCase() !== 'info') return '+OK\r\n';
      if (loadedAt === Number.POSITIVE_INFINITY) loadedAt = Date.now() + 50;
      return bulk(Date.now() < loadedAt ? 'loading:1\r\nloading_eta_seconds:1\r\n' : 'loading:0\r\n');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const startedAt = Date.now();
    client = new RedisClient({ REDIS_URL: `redis://127.0.0.1:${port}` } as PlatformConfig);
    await new Promise((resolve) => client!.once('ready', resolve));
    // ioredis' default waits the ETA (1000 ms) before asking again; meanwhile every command fails fast
    expect(Date.now() - startedAt).toBeLessThan(600);
  });
});
