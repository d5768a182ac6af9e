import type Redis from 'ioredis';
import type { CircuitState } from '@ish/contracts';
import {
  canAttempt,
  CircuitConfig,
  CircuitRecord,
  CLOSED_CIRCUIT,
  DEFAULT_CIRCUIT_CONFIG,
  effectiveState,
  onFailure,
  onSuccess,
  releaseAttempt,
} from './circuit-breaker';
import { REDIS_KEYS } from '@ish/contracts';

export interface CircuitBreakerStoreOptions {
  config?: Partial<CircuitConfig>;
  /** how long a record read from Redis is trusted on the hot path */
  cacheTtlMs?: number;
  /** every write renews it; Redis runs noeviction, so no key may live forever */
  keyTtlSeconds?: number;
  /** optimistic transactions retried this often when another replica wrote the key first */
  maxTransactionRetries?: number;
  keyPrefix?: string;
  now?: () => number;
}

export class CircuitUpdateConflictError extends Error {
  override readonly name = 'CircuitUpdateConflictError';
  constructor(readonly instanceId: string, tries: number) {
    super(`circuit of instance ${instanceId} not updated: ${tries} optimistic transactions lost to concurrent writers`);
  }
}

const DEFAULTS = { cacheTtlMs: 250, keyTtlSeconds: 86_400, maxTransactionRetries: 8, keyPrefix: REDIS_KEYS.circuitPrefix };

function isPristine(record: CircuitRecord): boolean {
  return record.state === 'closed' && record.consecutiveFailures === 0 && record.trialsInFlight === 0;
}

function sameRecord(a: CircuitRecord, b: CircuitRecord): boolean {
  return (
    a.state === b.state &&
    a.consecutiveFailures === b.consecutiveFailures &&
    a.openedAt === b.openedAt &&
    a.trialsInFlight === b.trialsInFlight &&
    a.lastTrialAt === b.lastTrialAt
  );
}

function decode(raw: string | null): CircuitRecord {
  if (!raw) return { ...CLOSED_CIRCUIT };
  try {
    const parsed = JSON.parse(raw) as Partial<CircuitRecord>;
    if (parsed.state !== 'closed' && parsed.state !== 'open' && parsed.state !== 'half_open') return { ...CLOSED_CIRCUIT };
    return {
      state: parsed.state,
      consecutiveFailures: Number(parsed.consecutiveFailures) || 0,
      trialsInFlight: Number(parsed.trialsInFlight) || 0,
      ...(typeof parsed.openedAt === 'number' ? { openedAt: parsed.openedAt } : {}),
      ...(typeof parsed.lastTrialAt === 'number' ? { lastTrialAt: parsed.lastTrialAt } : {}),
    };
  } catch {
    return { ...CLOSED_CIRCUIT };
  }
}

/**
 * Circuit records shared by every relay and worker replica, one JSON string per instance at
 * `ish:circuit:<instanceId>` (absent = closed and clean). Updates are WATCH/MULTI/EXEC optimistic
 * transactions on a connection of their own — WATCH belongs to a connection, and any other EXEC
 * on a shared one would silently drop it — run one at a time per process. Reads on the hot path
 * come from a short in-process cache, so a decision may lag another replica by up to cacheTtlMs.
 */
export class CircuitBreakerStore {
  readonly config: CircuitConfig;
  private readonly cacheTtlMs: number;
  private readonly keyTtlSeconds: number;
  private readonly maxTransactionRetries: number;
  private readonly keyPrefix: string;
  private readonly now: () => number;
  private readonly cache = new Map<string, { record: CircuitRecord; readAt: number }>();
  private transactionConnection?: Redis;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    options: CircuitBreakerStoreOptions = {},
  ) {
    this.config = { ...DEFAULT_CIRCUIT_CONFIG, ...options.config };
    this.cacheTtlMs = options.cacheTtlMs ?? DEFAULTS.cacheTtlMs;
    this.keyTtlSeconds = options.keyTtlSeconds ?? DEFAULTS.keyTtlSeconds;
    this.maxTransactionRetries = options.maxTransactionRetries ?? DEFAULTS.maxTransactionRetries;
    this.keyPrefix = options.keyPrefix ?? DEFAULTS.keyPrefix;
    this.now = options.now ?? Date.now;
  }

  keyOf(instanceId: string): string {
    return `${this.keyPrefix}${instanceId}`;
  }

  async get(instanceId: string): Promise<CircuitRecord> {
    return (await this.getMany([instanceId])).get(instanceId) as CircuitRecord;
  }

  /** Records of many instances, from the cache where fresh, the rest in one MGET. */
  async getMany(instanceIds: readonly string[]): Promise<Map<string, CircuitRecord>> {
    const found = new Map<string, CircuitRecord>();
    const missing: string[] = [];
    for (const id of new Set(instanceIds)) {
      const cached = this.cached(id);
      if (cached) found.set(id, cached);
      else missing.push(id);
    }
    if (missing.length > 0) {
      const raws = await this.redis.mget(missing.map((id) => this.keyOf(id)));
      missing.forEach((id, index) => found.set(id, this.remember(id, decode(raws[index]))));
    }
    return found;
  }

  /** The circuit state routing should use for each instance (an expired open one shows as half_open). */
  async statesOf(instanceIds: readonly string[]): Promise<Map<string, CircuitState>> {
    const now = this.now();
    const states = new Map<string, CircuitState>();
    for (const [id, record] of await this.getMany(instanceIds)) states.set(id, effectiveState(record, now, this.config));
    return states;
  }

  /** Asks the breaker before a call; true when the call may go (and, if half_open, holds a trial). */
  async tryAcquire(instanceId: string): Promise<boolean> {
    const cached = this.cached(instanceId);
    if (cached && cached.state === 'closed') return true;
    if (cached && cached.state === 'open' && !canAttempt(cached, this.now(), this.config).allowed) return false;
    return this.update(instanceId, (record) => {
      const decision = canAttempt(record, this.now(), this.config);
      return { record: decision.record, value: decision.allowed };
    });
  }

  async recordSuccess(instanceId: string): Promise<CircuitRecord> {
    const cached = this.cached(instanceId);
    if (cached && isPristine(cached)) return cached;
    return this.update(instanceId, (record) => {
      const next = onSuccess(record, this.now(), this.config);
      return { record: next, value: next };
    });
  }

  /** windowErrorRate / windowRequests: the instance's passive-health window, this failure included. */
  async recordFailure(instanceId: string, windowErrorRate?: number, windowRequests?: number): Promise<CircuitRecord> {
    return this.update(instanceId, (record) => {
      const next = onFailure(record, this.now(), this.config, windowErrorRate, windowRequests);
      return { record: next, value: next };
    });
  }

  /** The call allowed by tryAcquire ended without a verdict on the instance. */
  async release(instanceId: string): Promise<CircuitRecord> {
    const cached = this.cached(instanceId);
    if (cached && cached.state !== 'half_open') return cached;
    return this.update(instanceId, (record) => {
      const next = releaseAttempt(record);
      return { record: next, value: next };
    });
  }

  /** Forgets an instance's circuit (closed and clean), e.g. when the instance is deleted or re-enabled. */
  async reset(instanceId: string): Promise<void> {
    await this.redis.del(this.keyOf(instanceId));
    this.cache.delete(instanceId);
  }

  async close(): Promise<void> {
    const connection = this.transactionConnection;
    this.transactionConnection = undefined;
    if (connection) await connection.quit().catch(() => connection.disconnect());
  }

  private cached(instanceId: string): CircuitRecord | undefined {
    const entry = this.cache.get(instanceId);
    if (!entry) return undefined;
    if (this.now() - entry.readAt >= this.cacheTtlMs) {
      this.cache.delete(instanceId);
      return undefined;
    }
    return entry.record;
  }

  private remember(instanceId: string, record: CircuitRecord): CircuitRecord {
    this.cache.set(instanceId, { record, readAt: this.now() });
    return record;
  }

  private connection(): Redis {
    if (!this.transactionConnection) {
      // queue commands while this second connection is still connecting instead of failing the first updates
      this.transactionConnection = this.redis.duplicate({ enableOfflineQueue: true, lazyConnect: false });
      // each command rejects on its own; without a listener ioredis would also print every reconnect error
      this.transactionConnection.on('error', () => undefined);
    }
    return this.transactionConnection;
  }

  private update<T>(instanceId: string, change: (record: CircuitRecord) => { record: CircuitRecord; value: T }): Promise<T> {
    const run = this.queue.then(() => this.transact(instanceId, change));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async transact<T>(instanceId: string, change: (record: CircuitRecord) => { record: CircuitRecord; value: T }): Promise<T> {
    const connection = this.connection();
    const key = this.keyOf(instanceId);
    const tries = this.maxTransactionRetries + 1;
    for (let attempt = 0; attempt < tries; attempt++) {
      try {
        await connection.watch(key);
        const current = decode(await connection.get(key));
        const { record, value } = change(current);
        if (sameRecord(current, record)) {
          await connection.unwatch();
          this.remember(instanceId, record);
          return value;
        }
        const transaction = connection.multi();
        if (isPristine(record)) transaction.del(key);
        else transaction.set(key, JSON.stringify(record), 'EX', this.keyTtlSeconds);
        const replies = await transaction.exec();
        if (replies) {
          const failed = replies.find(([error]) => error);
          if (failed) throw failed[0];
          this.remember(instanceId, record);
          return value;
        }
      } catch (error) {
        await connection.unwatch().catch(() => undefined);
        throw error;
      }
      // another replica wrote the key between WATCH and EXEC: read again and redo the change
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
    }
    throw new CircuitUpdateConflictError(instanceId, tries);
  }
}
