import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { RedisClient } from '@ish/platform';
import { InstanceManagerConfig } from '../config';
import { REDIS_KEYS } from '@ish/contracts';

// take the lock when free, renew it when ours: one script, so no one else's lock is ever extended
const ACQUIRE_OR_RENEW = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export type LeaderLockRedis = Pick<Redis, 'eval'>;

/**
 * One instance-manager replica at a time runs the probe and scaling loops: the holder of a Redis
 * lock with a TTL, renewed every third of it. A replica counts itself leader only until two thirds
 * of the TTL after its last successful renewal, so it stops acting before anyone else can take the
 * lock; a replica that dies loses it when the TTL runs out.
 */
@Injectable()
export class LeaderLock implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly holderId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly logger = new Logger('LeaderLock');
  private readonly ttlMs: number;
  private leaderUntil = 0;
  private timer?: NodeJS.Timeout;
  private wasLeader = false;

  constructor(
    private readonly redis: RedisClient,
    config: InstanceManagerConfig,
  ) {
    this.ttlMs = config.LEADER_LOCK_TTL_MS;
  }

  /** true while this replica may act as the leader */
  isLeader(now: number = Date.now()): boolean {
    return now < this.leaderUntil;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), Math.floor(this.ttlMs / 3));
    this.timer.unref();
    void this.tick();
  }

  /** before Redis closes (onApplicationShutdown), so the next leader need not wait out the TTL */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.release();
  }

  /** Takes or renews the lock; resolves to whether this replica leads now. */
  async tick(): Promise<boolean> {
    const started = Date.now();
    try {
      const held = (await (this.redis as LeaderLockRedis).eval(ACQUIRE_OR_RENEW, 1, REDIS_KEYS.instanceManagerLeader, this.holderId, String(this.ttlMs))) === 1;
      this.leaderUntil = held ? started + Math.floor((this.ttlMs * 2) / 3) : 0;
    } catch (error) {
      // keep leading on the last renewal until it runs out: a short Redis blip must not stop the loops
      if (this.wasLeader) this.logger.warn(`leader lock not renewed: ${(error as Error).message}`);
    }
    const leads = this.isLeader();
    if (leads !== this.wasLeader) this.logger.log(leads ? 'this replica now leads: it probes instances and runs the scaler' : 'this replica no longer leads');
    this.wasLeader = leads;
    return leads;
  }

  async release(): Promise<void> {
    this.leaderUntil = 0;
    this.wasLeader = false;
    await (this.redis as LeaderLockRedis).eval(RELEASE, 1, REDIS_KEYS.instanceManagerLeader, this.holderId).catch(() => undefined);
  }
}
