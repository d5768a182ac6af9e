import { createServer, Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { PlatformConfig } from '../config/platform.config';
import { createHash } from 'node:crypto';
import { RedisClient, RedisScript } from './redis';

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

  it('runs a script by its SHA: the body goes only after a NOSCRIPT (first use, Redis restarted)', async () => {
    const script = new RedisScript<number>("return redis.call('INCRBY', KEYS[1], ARGV[1])");
    const sha = createHash('sha1').update(script.lua).digest('hex');
    expect(script.sha).toBe(sha);
    const seen: string[][] = [];
    const loaded = new Set<string>();
    let counter = 0;
    server = respServer((command) => {
      const name = command[0].toLowerCase();
      if (name !== 'evalsha' && name !== 'eval') return name === 'info' ? bulk('loading:0\r\n') : '+OK\r\n';
      seen.push(command);
      if (name === 'evalsha' && !loaded.has(command[1])) return '-NOSCRIPT No matching script. Please use EVAL.\r\n';
      if (name === 'eval') loaded.add(createHash('sha1').update(command[1]).digest('hex'));
      counter += Number(command[4]);
      return `:${counter}\r\n`;
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new RedisClient({ REDIS_URL: `redis://127.0.0.1:${port}` } as PlatformConfig);
    await new Promise((resolve) => client!.once('ready', resolve));
    expect(await script.run(client, ['k'], [2])).toBe(2);
    expect(await script.run(client, ['k'], [3])).toBe(5);
    loaded.clear();
    expect(await script.run(client, ['k'], [4])).toBe(9);
    expect(seen.map((command) => command.slice(0, 3))).toEqual([
      ['evalsha', sha, '1'],
      ['eval', script.lua, '1'],
      ['evalsha', sha, '1'],
      ['evalsha', sha, '1'],
      ['eval', script.lua, '1'],
    ]);
  });
});
