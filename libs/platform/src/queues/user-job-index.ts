import type Redis from 'ioredis';
import { REDIS_KEYS } from '@ish/contracts';

/** the newest this many jobs of a user stay listed; older entries are trimmed on every write */
export const USER_JOBS_KEPT = 1000;
/** longer than any job is retained (failed adb jobs: 7 days), so an idle user's index expires on its own */
export const USER_JOBS_TTL_SECONDS = 8 * 86_400;

/** Where a job lives: its queue and id. */
export interface UserJobRef {
  queue: string;
  jobId: string;
}

type IndexRedis = Pick<Redis, 'multi' | 'zrevrange' | 'zrem'>;

/**
 * Each user's jobs, newest first, across the queues (`GET /api/v1/jobs`): a sorted set per user scored
 * by submission time, written by whoever queues a job (relay: `ai`, android-bridge: `adb`). The jobs
 * themselves stay in BullMQ; an entry whose job has expired there is dropped by the reader.
 */
export class UserJobIndex {
  constructor(private readonly redis: IndexRedis) {}

  /** Before the job is queued, so a listed job can be missing (expired, or never queued) but a queued one is never unlisted. */
  async record(userId: string, ref: UserJobRef, at = Date.now()): Promise<void> {
    const key = userJobsKey(userId);
    // NX: the same job submitted again (an idempotent retry) keeps its first place
    await this.redis.multi().zadd(key, 'NX', at, encodeRef(ref)).zremrangebyrank(key, 0, -(USER_JOBS_KEPT + 1)).expire(key, USER_JOBS_TTL_SECONDS).exec();
  }

  /** `count` entries from `offset`, newest first. */
  async page(userId: string, offset: number, count: number): Promise<UserJobRef[]> {
    const members = await this.redis.zrevrange(userJobsKey(userId), offset, offset + count - 1);
    return members.map(decodeRef).filter((ref): ref is UserJobRef => ref !== undefined);
  }

  async forget(userId: string, refs: UserJobRef[]): Promise<void> {
    if (refs.length > 0) await this.redis.zrem(userJobsKey(userId), ...refs.map(encodeRef));
  }
}

export function userJobsKey(userId: string): string {
  return REDIS_KEYS.userJobs(userId);
}

/** `queue:jobId` (queue names hold no colon) */
export function encodeRef(ref: UserJobRef): string {
  return `${ref.queue}:${ref.jobId}`;
}

export function decodeRef(member: string): UserJobRef | undefined {
  const at = member.indexOf(':');
  if (at <= 0 || at === member.length - 1) return undefined;
  return { queue: member.slice(0, at), jobId: member.slice(at + 1) };
}
