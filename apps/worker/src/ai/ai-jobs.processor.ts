import { DelayedError, Job } from 'bullmq';
import { AiJobData, QUEUES, RelayReply } from '@ish/contracts';
import { JobHandler, JobProcessor } from '@ish/jobs';
import { AiJobRunner, TokensPerMinuteReached } from '@ish/relay-core';
import { RoutingTableStore } from '@ish/routing';

/** how long a job waits for the routing table of a worker that just started before it is tried anyway (and retried) */
export const ROUTING_TABLE_WAIT_MS = 30_000;

/**
 * Runs `ai` jobs with the relay's own code path. A client error (4xx from upstream, unknown model)
 * fails the job at once; anything else is retried with backoff. A worker that starts with jobs waiting
 * takes them at once: they wait for its routing table, which arrives moments later, instead of failing
 * as `model_not_found` for want of one. A job whose key has used its tokens of the minute waits in the
 * delayed set until the minute ends (no attempt spent), as a client would after a 429.
 */
@JobProcessor(QUEUES.ai, { announceOutcomes: true, retry: 'unless-client-error' })
export class AiJobsProcessor {
  constructor(
    private readonly runner: AiJobRunner,
    private readonly table: RoutingTableStore,
  ) {}

  @JobHandler()
  async process(job: Job<AiJobData>, token?: string): Promise<RelayReply> {
    await this.table.loaded(ROUTING_TABLE_WAIT_MS);
    try {
      return await this.runner.run(job.data, job.id as string);
    } catch (error) {
      if (!(error instanceof TokensPerMinuteReached)) throw error;
      await job.moveToDelayed(Date.now() + error.retryAfterMs, token);
      throw new DelayedError();
    }
  }
}
