import type Redis from 'ioredis';
import { CircuitBreakerStore, CircuitUpdateConflictError } from './circuit-breaker.store';

/** Just enough of Redis for the store: string keys with versions, and per-connection WATCH. */
class FakeRedisData {
  readonly values = new Map<string, { value: string; version: number; ttl?: number }>();
  private version = 0;
  commands: string[] = [];
  /** runs right before EXEC applies: lets a test play another replica writing in between */
  beforeExec?: () => void;

  write(key: string, value: string | undefined, ttl?: number): void {
    this.version++;
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, { value, version: this.version, ttl });
  }

  versionOf(key: string): number {
    return this.values.get(key)?.version ?? 0;
  }
}

class FakeConnection {
  private watched = new Map<string, number>();
  duplicates: FakeConnection[] = [];
  quitted = false;

  constructor(readonly data: FakeRedisData) {}

  async get(key: string): Promise<string | null> {
    this.data.commands.push(`get ${key}`);
    return this.data.values.get(key)?.value ?? null;
  }

  async mget(keys: string[]): Promise<(string | null)[]> {
    this.data.commands.push(`mget ${keys.join(' ')}`);
    return keys.map((key) => this.data.values.get(key)?.value ?? null);
  }

  async del(key: string): Promise<number> {
    this.data.commands.push(`del ${key}`);
    const existed = this.data.values.has(key);
    this.data.write(key, undefined);
    return existed ? 1 : 0;
  }

  async watch(key: string): Promise<'OK'> {
    this.data.commands.push(`watch ${key}`);
    this.watched.set(key, this.data.versionOf(key));
    return 'OK';
  }

  async unwatch(): Promise<'OK'> {
    this.data.commands.push('unwatch');
    this.watched.clear();
    return 'OK';
  }

  multi() {
    const queued: (() => void)[] = [];
    const transaction = {
      set: (key: string, value: string, _ex: 'EX', ttl: number) => {
        queued.push(() => this.data.write(key, value, ttl));
        return transaction;
      },
      del: (key: string) => {
        queued.push(() => this.data.write(key, undefined));
        return transaction;
      },
      exec: async (): Promise<[Error | null, unknown][] | null> => {
        this.data.commands.push('exec');
        this.data.beforeExec?.();
        const conflict = [...this.watched].some(([key, version]) => this.data.versionOf(key) !== version);
        this.watched.clear();
        if (conflict) return null;
        queued.forEach((apply) => apply());
        return queued.map(() => [null, 'OK']);
      },
    };
    return transaction;
  }

  duplicate(): FakeConnection {
    const copy = new FakeConnection(this.data);
    this.duplicates.push(copy);
    return copy;
  }

  on(): this {
    return this;
  }

  async quit(): Promise<'OK'> {
    this.quitted = true;
    return 'OK';
  }
}

const KEY = 'ish:circuit:i1';
const CONFIG = { failureThreshold: 3, openDurationMs: 1000, halfOpenMaxTrials: 1 };

function setup(options: { cacheTtlMs?: number; maxTransactionRetries?: number } = {}) {
  const data = new FakeRedisData();
  const redis = new FakeConnection(data);
  let clock = 1_000_000;
  const store = new CircuitBreakerStore(redis as unknown as Redis, {
    config: CONFIG,
    cacheTtlMs: options.cacheTtlMs ?? 250,
    maxTransactionRetries: options.maxTransactionRetries,
    now: () => clock,
  });
  return {
    data,
    redis,
    store,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('CircuitBreakerStore (fake Redis)', () => {
  it('reads a missing key as a closed, clean circuit', async () => {
    const { store } = setup();
    expect(await store.get('i1')).toEqual({ state: 'closed', consecutiveFailures: 0, trialsInFlight: 0 });
  });

  it('stores failures as JSON with a TTL, and opens at the threshold', async () => {
    const { store, data } = setup();
    await store.recordFailure('i1');
    expect(data.values.get(KEY)).toMatchObject({ ttl: 86_400 });
    expect(JSON.parse(data.values.get(KEY)!.value)).toEqual({ state: 'closed', consecutiveFailures: 1, trialsInFlight: 0 });
    await store.recordFailure('i1');
    const record = await store.recordFailure('i1');
    expect(record).toEqual({ state: 'open', consecutiveFailures: 3, openedAt: 1_000_000, trialsInFlight: 0 });
    expect(JSON.parse(data.values.get(KEY)!.value)).toEqual(record);
  });

  it('passes the window error rate to the machine', async () => {
    const { store } = setup();
    expect((await store.recordFailure('i1', 0.9, 100)).state).toBe('open');
  });

  it('deletes the key when the circuit is clean again, instead of keeping a closed record', async () => {
    const { store, data, advance } = setup();
    await store.recordFailure('i1');
    advance(1000);
    await store.recordSuccess('i1');
    expect(data.values.has(KEY)).toBe(false);
  });

  it('walks open → half_open trial → closed across calls', async () => {
    const { store, advance } = setup();
    for (let i = 0; i < 3; i++) await store.recordFailure('i1');
    expect(await store.tryAcquire('i1')).toBe(false);
    advance(1000);
    expect(await store.tryAcquire('i1')).toBe(true);
    expect(await store.get('i1')).toMatchObject({ state: 'half_open', trialsInFlight: 1 });
    expect(await store.tryAcquire('i1')).toBe(false);
    await store.recordSuccess('i1');
    expect(await store.get('i1')).toEqual({ state: 'closed', consecutiveFailures: 0, trialsInFlight: 0 });
    expect(await store.tryAcquire('i1')).toBe(true);
  });

  it('frees a trial slot on release', async () => {
    const { store, advance } = setup();
    for (let i = 0; i < 3; i++) await store.recordFailure('i1');
    advance(1000);
    expect(await store.tryAcquire('i1')).toBe(true);
    expect((await store.release('i1')).trialsInFlight).toBe(0);
    expect(await store.tryAcquire('i1')).toBe(true);
  });

  it('serves hot-path reads from the cache for cacheTtlMs', async () => {
    const { store, data, advance } = setup();
    await store.get('i1');
    await store.get('i1');
    expect(data.commands.filter((c) => c.startsWith('mget'))).toHaveLength(1);
    advance(250);
    await store.get('i1');
    expect(data.commands.filter((c) => c.startsWith('mget'))).toHaveLength(2);
  });

  it('costs no Redis command for a success or an attempt on a cached clean circuit', async () => {
    const { store, data } = setup();
    await store.get('i1');
    data.commands = [];
    expect(await store.tryAcquire('i1')).toBe(true);
    await store.recordSuccess('i1');
    await store.release('i1');
    expect(data.commands).toEqual([]);
  });

  it('refuses from the cache while a cached circuit is open', async () => {
    const { store, data } = setup();
    for (let i = 0; i < 3; i++) await store.recordFailure('i1');
    data.commands = [];
    expect(await store.tryAcquire('i1')).toBe(false);
    expect(data.commands).toEqual([]);
  });

  it('writes nothing when a change leaves the record as it is', async () => {
    const { store, data } = setup({ cacheTtlMs: 0 });
    await store.recordSuccess('i1');
    expect(data.commands).toEqual([`watch ${KEY}`, `get ${KEY}`, 'unwatch']);
  });

  it('reads many records with one MGET, skipping cached ones', async () => {
    const { store, data } = setup();
    await store.recordFailure('i1');
    data.commands = [];
    const records = await store.getMany(['i1', 'i2', 'i3', 'i2']);
    expect([...records.keys()]).toEqual(['i1', 'i2', 'i3']);
    expect(records.get('i1')).toMatchObject({ consecutiveFailures: 1 });
    expect(data.commands).toEqual(['mget ish:circuit:i2 ish:circuit:i3']);
  });

  it('shows an expired open circuit as half_open to routing', async () => {
    const { store, advance } = setup({ cacheTtlMs: 0 });
    for (let i = 0; i < 3; i++) await store.recordFailure('i1');
    expect(await store.statesOf(['i1', 'i2'])).toEqual(new Map([['i1', 'open'], ['i2', 'closed']]));
    advance(1000);
    expect((await store.statesOf(['i1'])).get('i1')).toBe('half_open');
  });

  it('redoes the change on a fresh read when another replica wrote in between', async () => {
    const { store, data } = setup();
    let interfered = false;
    data.beforeExec = () => {
      if (interfered) return;
      interfered = true;
      data.write(KEY, JSON.stringify({ state: 'closed', consecutiveFailures: 2, trialsInFlight: 0 }), 86_400);
    };
    const record = await store.recordFailure('i1');
    expect(record).toMatchObject({ state: 'open', consecutiveFailures: 3 });
    expect(data.commands.filter((c) => c === 'exec')).toHaveLength(2);
  });

  it('fails with CircuitUpdateConflictError after maxTransactionRetries lost races', async () => {
    const { store, data } = setup({ maxTransactionRetries: 2 });
    data.beforeExec = () => data.write(KEY, JSON.stringify({ state: 'closed', consecutiveFailures: 1, trialsInFlight: 0 }));
    await expect(store.recordFailure('i1')).rejects.toBeInstanceOf(CircuitUpdateConflictError);
    expect(data.commands.filter((c) => c === 'exec')).toHaveLength(3);
    data.beforeExec = undefined;
    expect((await store.recordFailure('i1')).consecutiveFailures).toBe(2);
  });

  it('passes a Redis error on, unwatches, and keeps serving later updates', async () => {
    const { store, data } = setup();
    data.beforeExec = () => {
      throw new Error('READONLY You cannot write against a read only replica');
    };
    await expect(store.recordFailure('i1')).rejects.toThrow('READONLY');
    expect(data.commands.slice(-1)).toEqual(['unwatch']);
    data.beforeExec = undefined;
    expect((await store.recordFailure('i1')).consecutiveFailures).toBe(1);
  });

  it('runs transactions one at a time on a connection of their own', async () => {
    const { store, redis, data } = setup();
    await Promise.all(Array.from({ length: 10 }, () => store.recordFailure('i1')));
    expect(redis.duplicates).toHaveLength(1);
    expect(JSON.parse(data.values.get(KEY)!.value)).toMatchObject({ state: 'open', consecutiveFailures: 10 });
    const sequence = data.commands.filter((c) => c === 'exec' || c.startsWith('watch'));
    for (let i = 0; i < sequence.length; i += 2) expect(sequence.slice(i, i + 2)).toEqual([`watch ${KEY}`, 'exec']);
  });

  it('reads a corrupt or foreign value as closed', async () => {
    const { store, data } = setup({ cacheTtlMs: 0 });
    data.write(KEY, 'not json');
    expect((await store.get('i1')).state).toBe('closed');
    data.write(KEY, JSON.stringify({ state: 'melted' }));
    expect((await store.get('i1')).state).toBe('closed');
    data.write(KEY, JSON.stringify({ state: 'open', consecutiveFailures: 'x', openedAt: 5 }));
    expect(await store.get('i1')).toEqual({ state: 'open', consecutiveFailures: 0, trialsInFlight: 0, openedAt: 5 });
  });

  it('resets a circuit', async () => {
    const { store, data } = setup();
    for (let i = 0; i < 3; i++) await store.recordFailure('i1');
    await store.reset('i1');
    expect(data.values.has(KEY)).toBe(false);
    expect((await store.get('i1')).state).toBe('closed');
  });

  it('closes its transaction connection', async () => {
    const { store, redis } = setup();
    await store.close();
    await store.recordFailure('i1');
    await store.close();
    expect(redis.duplicates[0].quitted).toBe(true);
  });

  it('uses the configured key prefix', () => {
    const store = new CircuitBreakerStore(new FakeConnection(new FakeRedisData()) as unknown as Redis, { keyPrefix: 'test:c:' });
    expect(store.keyOf('abc')).toBe('test:c:abc');
    expect(new CircuitBreakerStore(new FakeConnection(new FakeRedisData()) as unknown as Redis).config.failureThreshold).toBe(5);
  });
});
