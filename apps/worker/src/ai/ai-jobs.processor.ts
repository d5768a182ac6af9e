import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { AiJobData, EVENTS, JobEvent, QUEUES, RelayReply } from '@ish/contracts';
import { AmqpClient, ApiError, runWithRequestId, toErrorResponse } from '@ish/platform';
import { AiJobRunner } from '@ish/relay-core';
import { RoutingTableStore } from '@ish/routing';
import { ConsumerRegistry } from '../consumers/consumer-registry';
import { isFinalFailure } from '../consumers/is-final-failure';

/** how long a job waits for the routing table of a worker that just started before it is tried anyway (and retried) */
export const ROUTING_TABLE_WAIT_MS = 30_000;

/**
 * Runs `ai` jobs with the relay's own code path. A client error (4xx from upstream, unknown model)
 * fails the job at once; anything else is retried with backoff. `job.completed` / `job.failed` are
 * published once the outcome is recorded in the queue. A worker that starts with jobs waiting takes
 * them at once: they wait for its routing table, which arrives moments later, instead of failing as
 * `model_not_found` for want of one.
 */
@Injectable()
export class AiJobsProcessor implements OnModuleInit {
  private readonly logger = new Logger('AiJobs');

  constructor(
    private readonly registry: ConsumerRegistry,
    private readonly runner: AiJobRunner,
    private readonly client: AmqpClient,
    private readonly table: RoutingTableStore,
  ) {}

  onModuleInit(): void {
    const worker = this.registry.register(QUEUES.ai, (job: Job<AiJobData>) => this.process(job));
    worker.on('completed', (job: Job<AiJobData>, result: RelayReply) => void this.announce(job, { status: 'completed', result }));
    worker.on('failed', (job: Job<AiJobData> | undefined, error: Error) => {
      if (job && isFinalFailure(job, error)) void this.announce(job, { status: 'failed', error: JSON.parse(error.message) as JobEvent['error'] });
    });
  }

  async process(job: Job<AiJobData>): Promise<RelayReply> {
    return runWithRequestId(job.data.requestId, async () => {
      await this.table.loaded(ROUTING_TABLE_WAIT_MS);
      try {
        return await this.runner.run(job.data, job.id as string);
      } catch (error) {
        const { status, body } = toErrorResponse(error);
        const reason = JSON.stringify({ type: body.error.type, code: body.error.code, message: body.error.message });
        this.logger.warn(`job ${job.id} attempt ${job.attemptsMade + 1} failed: ${body.error.code}`);
        if (error instanceof ApiError && status >= 400 && status < 500 && status !== 408 && status !== 429) throw new UnrecoverableError(reason);
        throw new Error(reason);
      }
    });
  }

  private async announce(job: Job<AiJobData>, outcome: Pick<JobEvent, 'status' | 'result' | 'error'>): Promise<void> {
    const event: JobEvent = { userId: job.data.userId, jobId: job.id as string, type: 'ai', ...outcome };
    await this.client
      .publishEvent(outcome.status === 'completed' ? EVENTS.jobCompleted : EVENTS.jobFailed, event)
      .catch((error: unknown) => this.logger.error(`could not publish the outcome of job ${job.id}: ${(error as Error).message}`));
  }
}
