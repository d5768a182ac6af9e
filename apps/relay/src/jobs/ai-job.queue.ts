import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { AiJobData, JobView, QUEUES } from '@ish/contracts';
import { bullConnection, PlatformConfig, RedisClient, UserJobIndex, UserJobRef } from '@ish/platform';
import { AI_JOB, aiJobOptions, RelayCoreConfig } from '@ish/relay-core';
import { toJobView } from './job-view';
import { recentJobs } from './recent-jobs';

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

/** The relay's side of the job queues: submits `ai` jobs and reads any job back. */
@Injectable()
export class JobQueues implements OnApplicationShutdown {
  readonly ai: Queue<AiJobData>;
  readonly adb: Queue;
  private readonly index: UserJobIndex;

  constructor(
    private readonly config: RelayCoreConfig,
    platform: PlatformConfig,
    redis: RedisClient,
  ) {
    this.ai = new Queue<AiJobData>(QUEUES.ai, { connection: bullConnection(platform.REDIS_URL) });
    this.adb = new Queue(QUEUES.adb, { connection: bullConnection(platform.REDIS_URL) });
    for (const queue of [this.ai, this.adb]) queue.on('error', () => undefined);
    this.index = new UserJobIndex(redis);
  }

  /** Adds the job unless one with this id exists already (then that one is returned). */
  async submit(jobId: string, data: AiJobData): Promise<Job<AiJobData>> {
    await this.index.record(data.userId, { queue: QUEUES.ai, jobId });
    return this.ai.add(AI_JOB, data, aiJobOptions(jobId, this.config.JOB_ATTEMPTS, this.config.JOB_RESULT_TTL_SECONDS));
  }

  async find(id: string): Promise<JobSnapshot | undefined> {
    return (await snapshot(this.ai, id)) ?? (await snapshot(this.adb, id));
  }

  /** `GET /api/v1/jobs`: the user's newest jobs of both queues, newest first. */
  async recent(userId: string, limit: number): Promise<JobView[]> {
    const jobs = await recentJobs(this.index, (ref) => this.load(ref), userId, limit);
    return jobs.map(({ job, state }) => toJobView(job, state));
  }

  private async load(ref: UserJobRef): Promise<JobSnapshot | undefined> {
    const queue = ref.queue === QUEUES.ai ? this.ai : ref.queue === QUEUES.adb ? this.adb : undefined;
    return queue ? snapshot(queue, ref.jobId) : undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.ai.close(), this.adb.close()]);
  }
}
