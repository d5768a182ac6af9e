import { randomUUID } from 'node:crypto';
import { PlatformConfig, RedisClient, RedisScript } from '@ish/platform';
import { REDIS_URL } from '@ish/test-support';

// A script run on the shared client (auto-pipelining on) by many callers in one event-loop turn, on a Redis that
// does not know it yet: each gets its own answer. ioredis' defineCommand crashed the process in this situation.
describe('RedisScript on the shared Redis client', () => {
  const client = new RedisClient({ REDIS_URL } as PlatformConfig);
  const prefix = `test:ish:script:${randomUUID()}`;

  afterAll(async () => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });

  // the turn opens its pipeline with a plain command: a script defined after that was what crashed
  it('answers every caller of one turn in order, loading itself after NOSCRIPT, beside other pipelined commands', async () => {
    await new Promise((resolve) => (client.status === 'ready' ? resolve(undefined) : client.once('ready', resolve)));
    // a body of its own (the test's prefix) that this Redis has never cached
    const script = new RedisScript<number>(`-- ${prefix}\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])`);
    await client.script('FLUSH');
    const calls = Array.from({ length: 200 }, (_, i) => (i % 2 === 1 ? script.run(client, [`${prefix}:n`], [1]) : client.incrby(`${prefix}:plain`, 1)));
    const answers = await Promise.all(calls);
    const scripted = answers.filter((_, i) => i % 2 === 1).map(Number).sort((a, b) => a - b);
    expect(scripted).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(Number(await client.get(`${prefix}:plain`))).toBe(100);
    expect(Number(await script.run(client, [`${prefix}:n`], [5]))).toBe(105);
  });
});
