import type Redis from 'ioredis';
import { CircuitBreakerStore } from './circuit-breaker.store';
import { ProbeCircuit } from './probe-circuit';

/** String keys and MULTI for one process: no concurrent writers here, so WATCH never conflicts. */
class FakeRedis {
  readonly values = new Map<string, string>();
  readonly writes: string[] = [];

  async get(key: string) {
    return this.values.get(key) ?? null;
  }
  async mget(keys: string[]) {
    return keys.map((key) => this.values.get(key) ?? null);
  }
  async del(key: string) {
    return this.values.delete(key) ? 1 : 0;
  }
  async watch() {
    return 'OK';
  }
  async unwatch() {
    return 'OK';
  }
  multi() {
    const queued: (() => void)[] = [];
    const transaction = {
      set: (key: string, value: string) => {
        queued.push(() => {
          this.values.set(key, value);
          this.writes.push((JSON.parse(value) as { state: string }).state);
        });
        return transaction;
      },
      del: (key: string) => {
        queued.push(() => {
          this.values.delete(key);
          this.writes.push('closed (deleted)');
        });
        return transaction;
      },
      exec: async () => {
        queued.forEach((apply) => apply());
        return queued.map(() => [null, 'OK']);
      },
    };
    return transaction;
  }
  duplicate() {
    return this;
  }
  on() {
    return this;
  }
  async quit() {
    return 'OK';
  }
}

function setup() {
  const redis = new FakeRedis();
  let clock = 1_000_000;
  const now = () => clock;
  const probe = new ProbeCircuit(redis as unknown as Redis, { failureThreshold: 2, now });
  // what a relay sees: its own store with the usual 30 s open duration
  const relay = new CircuitBreakerStore(redis as unknown as Redis, { cacheTtlMs: 0, now, config: { failureThreshold: 5, openDurationMs: 30_000 } });
  return { redis, probe, relay, advance: (ms: number) => (clock += ms) };
}

describe('ProbeCircuit', () => {
  it('opens a closed circuit after failureThreshold failed probes in a row', async () => {
    const { probe, relay } = setup();
    expect((await probe.recordProbe('i1', false)).state).toBe('closed');
    expect(await probe.recordProbe('i1', false)).toMatchObject({ state: 'open', consecutiveFailures: 2, openedAt: 1_000_000 });
    expect((await relay.statesOf(['i1'])).get('i1')).toBe('open');
    expect(await relay.tryAcquire('i1')).toBe(false);
  });

  it('counts real failures and probe failures together', async () => {
    const { probe, relay } = setup();
    await relay.recordFailure('i1');
    expect((await probe.recordProbe('i1', false)).state).toBe('open');
  });

  it('leaves a closed circuit untouched by a good probe', async () => {
    const { probe, relay, redis } = setup();
    await relay.recordFailure('i1');
    expect(await probe.recordProbe('i1', true)).toMatchObject({ state: 'closed', consecutiveFailures: 1 });
    expect(redis.writes).toEqual(['closed']);
  });

  it('closes an open circuit through a half_open trial when a probe succeeds, without waiting out the open duration', async () => {
    const { probe, relay, redis, advance } = setup();
    await probe.recordProbe('i1', false);
    await probe.recordProbe('i1', false);
    advance(500);
    expect(await probe.recordProbe('i1', true)).toEqual({ state: 'closed', consecutiveFailures: 0, trialsInFlight: 0 });
    expect(redis.writes).toEqual(['closed', 'open', 'half_open', 'closed (deleted)']);
    expect(await relay.tryAcquire('i1')).toBe(true);
  });

  it('opens a circuit again from now when the trial probe fails, so relays keep away for their whole open duration', async () => {
    const { probe, relay, advance } = setup();
    await probe.recordProbe('i1', false);
    await probe.recordProbe('i1', false);
    advance(29_000);
    expect(await probe.recordProbe('i1', false)).toMatchObject({ state: 'open', openedAt: 1_029_000 });
    advance(2_000);
    expect((await relay.statesOf(['i1'])).get('i1')).toBe('open');
  });

  it('takes a half_open circuit whose relay trial is still out as its own trial', async () => {
    const { probe, relay, advance } = setup();
    await probe.recordProbe('i1', false);
    await probe.recordProbe('i1', false);
    advance(30_000);
    expect(await relay.tryAcquire('i1')).toBe(true);
    expect((await relay.get('i1')).state).toBe('half_open');
    expect((await probe.recordProbe('i1', true)).state).toBe('closed');
  });

  it('forgets a circuit on reset', async () => {
    const { probe, relay } = setup();
    await probe.recordProbe('i1', false);
    await probe.recordProbe('i1', false);
    await probe.reset('i1');
    expect((await relay.statesOf(['i1'])).get('i1')).toBe('closed');
  });
});
