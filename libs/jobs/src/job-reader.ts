import { Injectable } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { JobView, QUEUES } from '@ish/contracts';
import { RedisClient } from '@ish/platform';
import { JobQueues } from './job-queues';
import { toJobView } from './job-view';
import { recentJobs } from './recent-jobs';
import { UserJobIndex, UserJobRef } from './user-job-index';

/** the queues of the jobs users submit and list (`JobView.type` is the queue's name) */
const USER_QUEUES: readonly string[] = [QUEUES.ai, QUEUES.adb];

/** A job with its state, read so that the two agree (see `snapshot`). */
export interface JobSnapshot {
  job: Job;
  state: string;
  data: unknown;
  timestamp: number;
}

/**
 * The state first, then the job: BullMQ writes a finished job's result and moves it to `completed`
 * in one script, so a finished state means the job read after it holds its result. The other order
 * could read a job still running and then its state `completed`: a completed job without result.
 */
export async function snapshot(queue: Pick<Queue, 'getJobState' | 'getJob'>, id: string): Promise<JobSnapshot | undefined> {
  const state = await queue.getJobState(id);
  if (state === 'unknown') return undefined;
  const job = await queue.getJob(id);
  return job ? { job, state, data: job.data, timestamp: job.timestamp } : undefined;
}

/** Users' jobs as the API shows them (`GET /api/v1/jobs`, `/jobs/{id}`), from the queues of the jobs users submit. */
@Injectable()
export class JobReader {
  private readonly index: UserJobIndex;

  constructor(
    private readonly queues: JobQueues,
    redis: RedisClient,
  ) {
    this.index = new UserJobIndex(redis);
  }

  /** The user's own job `id`; another user's job is as absent as a missing one. */
  async findOwn(userId: string, id: string): Promise<JobView | undefined> {
    for (const queue of USER_QUEUES) {
      const found = await snapshot(this.queues.get(queue), id);
      if (found) return (found.data as { userId?: string }).userId === userId ? toJobView(found.job, found.state) : undefined;
    }
    return undefined;
  }

  /** The user's newest jobs of every queue, newest first. */
  async recent(userId: string, limit: number): Promise<JobView[]> {
    const jobs = await recentJobs(this.index, (ref) => this.load(ref), userId, limit);
    return jobs.map(({ job, state }) => toJobView(job, state));
  }

  private async load(ref: UserJobRef): Promise<JobSnapshot | undefined> {
    return USER_QUEUES.includes(ref.queue) ? snapshot(this.queues.get(ref.queue), ref.jobId) : undefined;
  }
}
