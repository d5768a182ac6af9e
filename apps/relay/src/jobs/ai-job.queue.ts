import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { AiJobData, JobView, QUEUES } from '@ish/contracts';
import { bullConnection, RedisClient, UserJobIndex, UserJobRef } from '@ish/platform';
import { AI_JOB, aiJobOptions } from '@ish/relay-core';
import { RelayConfig } from '../config';
import { toJobView } from './job-view';
import { recentJobs } from './recent-jobs';

/** The relay's side of the job queues: submits `ai` jobs and reads any job back. */
@Injectable()
export class JobQueues implements OnApplicationShutdown {
  readonly ai: Queue<AiJobData>;
  readonly adb: Queue;
  private readonly index: UserJobIndex;

  constructor(
    private readonly config: RelayConfig,
    redis: RedisClient,
  ) {
    this.ai = new Queue<AiJobData>(QUEUES.ai, { connection: bullConnection(config.REDIS_URL) });
    this.adb = new Queue(QUEUES.adb, { connection: bullConnection(config.REDIS_URL) });
    for (const queue of [this.ai, this.adb]) queue.on('error', () => undefined);
    this.index = new UserJobIndex(redis);
  }

  /** Adds the job unless one with this id exists already (then that one is returned). */
  async submit(jobId: string, data: AiJobData): Promise<Job<AiJobData>> {
    await this.index.record(data.userId, { queue: QUEUES.ai, jobId });
    return this.ai.add(AI_JOB, data, aiJobOptions(jobId, this.config.JOB_ATTEMPTS, this.config.JOB_RESULT_TTL_SECONDS));
  }

  async find(id: string): Promise<Job | undefined> {
    return (await this.ai.getJob(id)) ?? (await this.adb.getJob(id)) ?? undefined;
  }

  /** `GET /api/v1/jobs`: the user's newest jobs of both queues, newest first. */
  async recent(userId: string, limit: number): Promise<JobView[]> {
    const jobs = await recentJobs(this.index, (ref) => this.load(ref), userId, limit);
    return Promise.all(jobs.map(async (job) => toJobView(job, await job.getState())));
  }

  private async load(ref: UserJobRef): Promise<Job | undefined> {
    const queue = ref.queue === QUEUES.ai ? this.ai : ref.queue === QUEUES.adb ? this.adb : undefined;
    return (await queue?.getJob(ref.jobId)) ?? undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.ai.close(), this.adb.close()]);
  }
}
