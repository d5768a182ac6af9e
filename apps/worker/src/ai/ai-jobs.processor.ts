import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { AiJobData, JobEvent, parseJobFailure, QUEUES, RelayReply } from '@ish/contracts';
import { ApiError, runWithRequestId, toErrorResponse } from '@ish/platform';
import { AiJobRunner } from '@ish/relay-core';
import { RoutingTableStore } from '@ish/routing';
import { ConsumerRegistry } from '../consumers/consumer-registry';
import { JobOutcomes } from '../consumers/job-outcomes';
import { isFinalFailure } from '../consumers/is-final-failure';

/** how long a job waits for the routing table of a worker that just started before it is tried anyway (and retried) */
export const ROUTING_TABLE_WAIT_MS = 30_000;

/**
 * Runs `ai` jobs with the relay's own code path. A client error (4xx from upstream, unknown model)
 * fails the job at once; anything else is retried with backoff. `job.completed` / `job.failed` are
 * published once the outcome is recorded in the queue, and by another worker if this one dies in
 * between (JobOutcomes). A worker that starts with jobs waiting takes
 * them at once: they wait for its routing table, which arrives moments later, instead of failing as
 * `model_not_found` for want of one.
 */
@Injectable()
export class AiJobsProcessor implements OnModuleInit {
  private readonly logger = new Logger('AiJobs');

  constructor(
    private readonly registry: ConsumerRegistry,
    private readonly runner: AiJobRunner,
    private readonly outcomes: JobOutcomes,
    private readonly table: RoutingTableStore,
  ) {}

  onModuleInit(): void {
    const worker = this.registry.register(QUEUES.ai, (job: Job<AiJobData>) => this.process(job));
    worker.on('completed', (job: Job<AiJobData>, result: RelayReply) => void this.outcomes.announce(job, outcomeEvent(job, { status: 'completed', result })));
    worker.on('failed', (job: Job<AiJobData> | undefined, error: Error) => {
      if (!job) return;
      if (isFinalFailure(job, error)) void this.outcomes.announce(job, outcomeEvent(job, { status: 'failed', error: parseJobFailure(error.message) }));
      else void this.outcomes.forget(job).catch(() => undefined);
    });
    this.outcomes.watch(QUEUES.ai, (job, state) =>
      outcomeEvent(job as Job<AiJobData>, state === 'completed' ? { status: 'completed', result: job.returnvalue as RelayReply } : { status: 'failed', error: parseJobFailure(job.failedReason) }),
    );
  }

  async process(job: Job<AiJobData>): Promise<RelayReply> {
    return runWithRequestId(job.data.requestId, async () => {
      await this.table.loaded(ROUTING_TABLE_WAIT_MS);
      let result: RelayReply;
      try {
        result = await this.runner.run(job.data, job.id as string);
      } catch (error) {
        const { status, body } = toErrorResponse(error);
        const reason = JSON.stringify({ type: body.error.type, code: body.error.code, message: body.error.message });
        this.logger.warn(`job ${job.id} attempt ${job.attemptsMade + 1} failed: ${body.error.code}`);
        // noted before BullMQ records the failure; forgotten again when a retry follows
        await this.outcomes.expect(job);
        if (error instanceof ApiError && status >= 400 && status < 500 && status !== 408 && status !== 429) throw new UnrecoverableError(reason);
        throw new Error(reason);
      }
      await this.outcomes.expect(job);
      return result;
    });
  }
}

function outcomeEvent(job: Job<AiJobData>, outcome: Pick<JobEvent, 'status' | 'result' | 'error'>): JobEvent {
  return { userId: job.data.userId, jobId: job.id as string, type: 'ai', ...outcome };
}
