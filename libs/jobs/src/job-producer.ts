import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { QueueName } from '@ish/contracts';
import { RedisClient } from '@ish/platform';
import type { IdentifiedJobOptions } from './job-options';
import { JobQueues } from './job-queues';
import { UserJobIndex } from './user-job-index';

/** One job to queue: where, what, with which options (JOB_OPTIONS), and whose it is. */
export interface JobRequest<Data> {
  queue: QueueName;
  name: string;
  data: Data;
  options: IdentifiedJobOptions;
  /** the user whose job list (`GET /api/v1/jobs`) shows it; unset for jobs no user sees */
  owner?: string;
}

/** Queues jobs, listing each owned one in its owner's job index first. */
@Injectable()
export class JobProducer {
  private readonly index: UserJobIndex;

  constructor(
    private readonly queues: JobQueues,
    redis: RedisClient,
  ) {
    this.index = new UserJobIndex(redis);
  }

  /** Adds the job unless one with its id exists already (then that one is returned). */
  async add<Data>(request: JobRequest<Data>): Promise<Job<Data>> {
    // listed before it is queued: a listed job may be missing, a queued one is never unlisted
    if (request.owner) await this.index.record(request.owner, { queue: request.queue, jobId: request.options.jobId });
    return this.queues.get<Data>(request.queue).add(request.name as never, request.data as never, request.options) as Promise<Job<Data>>;
  }

  /** Adds unowned jobs of one queue in one round trip. */
  async addBulk<Data>(queue: QueueName, jobs: Omit<JobRequest<Data>, 'queue' | 'owner'>[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.queues.get<Data>(queue).addBulk(jobs.map((job) => ({ name: job.name as never, data: job.data as never, opts: job.options })));
  }
}
