import type Redis from 'ioredis';
import { REDIS_KEYS } from '@ish/contracts';

/** How long a stream's slot outlives its relay without a renewal (a killed process frees its slots by then). */
export const STREAM_LEASE_MS = 45_000;

// drops expired leases, then takes a slot when fewer than the limit are held
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

export interface StreamLease {
  credentialId: string;
  streamId: string;
}

/**
 * Open event streams per credential, counted in Redis so the cap holds across every relay replica:
 * one sorted set per credential (member: stream id, score: when its lease ends). Leases are renewed
 * while the stream is open and released when it closes; a relay that dies leaves leases that expire.
 */
export class StreamLeases {
  constructor(
    private readonly redis: Redis,
    private readonly leaseMs = STREAM_LEASE_MS,
  ) {}

  /** true when the stream got one of the credential's `limit` slots */
  async acquire(lease: StreamLease, limit: number, now = Date.now()): Promise<boolean> {
    const taken = await this.redis.eval(ACQUIRE, 1, key(lease), now, now + this.leaseMs, limit, lease.streamId, this.leaseMs * 2);
    return taken === 1;
  }

  async renew(leases: readonly StreamLease[], now = Date.now()): Promise<void> {
    if (leases.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const lease of leases) {
      pipeline.zadd(key(lease), 'XX', now + this.leaseMs, lease.streamId);
      pipeline.pexpire(key(lease), this.leaseMs * 2);
    }
    await pipeline.exec();
  }

  async release(lease: StreamLease): Promise<void> {
    await this.redis.zrem(key(lease), lease.streamId);
  }
}

function key(lease: StreamLease): string {
  return REDIS_KEYS.eventStreamLeases(lease.credentialId);
}
