import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { CircuitBreakerStore, CircuitBreakerStoreOptions } from './circuit-breaker.store';

// Needs a real Redis: runs only when REDIS_URL is set (the integration suite sets it).
const REDIS_URL = process.env.REDIS_URL;
const describeWithRedis = REDIS_URL ? describe : describe.skip;

describeWithRedis('CircuitBreakerStore on Redis', () => {
  const prefix = `test:ish:circuit:${randomUUID()}:`;
  const connections: Redis[] = [];
  const stores: CircuitBreakerStore[] = [];
  let admin: Redis;

  function replica(options: CircuitBreakerStoreOptions = {}): CircuitBreakerStore {
    const connection = new Redis(REDIS_URL as string, { maxRetriesPerRequest: 1 });
    connections.push(connection);
    const store = new CircuitBreakerStore(connection, {
      keyPrefix: prefix,
      cacheTtlMs: 0,
      ...options,
      config: { failureThreshold: 5, openDurationMs: 300, halfOpenMaxTrials: 1, ...options.config },
    });
    stores.push(store);
    return store;
  }

  beforeAll(() => {
    admin = new Redis(REDIS_URL as string);
  });

  afterAll(async () => {
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    await Promise.all(stores.map((store) => store.close()));
    await Promise.all([...connections, admin].map((connection) => connection.quit()));
  });

  it('keeps a record as JSON with a TTL, and removes it once the circuit is clean', async () => {
    const store = replica();
    const id = randomUUID();
    await store.recordFailure(id);
    expect(JSON.parse((await admin.get(`${prefix}${id}`)) as string)).toEqual({ state: 'closed', consecutiveFailures: 1, trialsInFlight: 0 });
    const ttl = await admin.ttl(`${prefix}${id}`);
    expect(ttl).toBeGreaterThan(86_000);
    expect(ttl).toBeLessThanOrEqual(86_400);
    await store.recordSuccess(id);
    expect(await admin.exists(`${prefix}${id}`)).toBe(0);
  });

  it('shows one replica the circuit another one opened', async () => {
    const [a, b] = [replica(), replica()];
    const id = randomUUID();
    for (let i = 0; i < 5; i++) await a.recordFailure(id);
    expect(await b.get(id)).toMatchObject({ state: 'open', consecutiveFailures: 5 });
    expect(await b.tryAcquire(id)).toBe(false);
  });

  it('loses no update when replicas record failures at the same time', async () => {
    const replicas = [replica(), replica(), replica()];
    const id = randomUUID();
    await Promise.all(replicas.flatMap((store) => Array.from({ length: 15 }, () => store.recordFailure(id))));
    expect(await replicas[0].get(id)).toMatchObject({ state: 'open', consecutiveFailures: 45 });
  });

  it('lets exactly one half_open trial through across replicas', async () => {
    const replicas = [replica(), replica(), replica()];
    const id = randomUUID();
    for (let i = 0; i < 5; i++) await replicas[0].recordFailure(id);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const decisions = await Promise.all(replicas.flatMap((store) => Array.from({ length: 4 }, () => store.tryAcquire(id))));
    expect(decisions.filter(Boolean)).toHaveLength(1);
    expect(await replicas[1].get(id)).toMatchObject({ state: 'half_open', trialsInFlight: 1 });
  });

  it('closes for every replica after a successful trial', async () => {
    const [a, b] = [replica(), replica()];
    const id = randomUUID();
    for (let i = 0; i < 5; i++) await a.recordFailure(id);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await b.tryAcquire(id)).toBe(true);
    await b.recordSuccess(id);
    expect(await a.get(id)).toEqual({ state: 'closed', consecutiveFailures: 0, trialsInFlight: 0 });
    expect(await admin.exists(`${prefix}${id}`)).toBe(0);
  });

  it('reads many instances at once', async () => {
    const store = replica({ cacheTtlMs: 250 });
    const [x, y] = [randomUUID(), randomUUID()];
    await store.recordFailure(x);
    const states = await store.statesOf([x, y]);
    expect(states).toEqual(new Map([[x, 'closed'], [y, 'closed']]));
    expect((await store.getMany([x])).get(x)).toMatchObject({ consecutiveFailures: 1 });
  });
});
