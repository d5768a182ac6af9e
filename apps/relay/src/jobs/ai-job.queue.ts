import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { AiJobData, QUEUES } from '@ish/contracts';
import { bullConnection } from '@ish/platform';
import { AI_JOB, aiJobOptions } from '@ish/relay-core';
import { RelayConfig } from '../config';

/** The relay's side of the job queues: submits `ai` jobs and reads any job back. */
@Injectable()
export class JobQueues implements OnApplicationShutdown {
  readonly ai: Queue<AiJobData>;
  readonly adb: Queue;

  constructor(private readonly config: RelayConfig) {
    this.ai = new Queue<AiJobData>(QUEUES.ai, { connection: bullConnection(config.REDIS_URL) });
    this.adb = new Queue(QUEUES.adb, { connection: bullConnection(config.REDIS_URL) });
    for (const queue of [this.ai, this.adb]) queue.on('error', () => undefined);
  }

  /** Adds the job unless one with this id exists already (then that one is returned). */
  async submit(jobId: string, data: AiJobData): Promise<Job<AiJobData>> {
    return this.ai.add(AI_JOB, data, aiJobOptions(jobId, this.config.JOB_ATTEMPTS, this.config.JOB_RESULT_TTL_SECONDS));
  }

  async find(id: string): Promise<Job | undefined> {
    return (await this.ai.getJob(id)) ?? (await this.adb.getJob(id)) ?? undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.ai.close(), this.adb.close()]);
  }
}
