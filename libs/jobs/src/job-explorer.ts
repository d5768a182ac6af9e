import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { DelayedError, Job } from 'bullmq';
import type { JobEvent, JobType } from '@ish/contracts';
import { runWithRequestId } from '@ish/platform';
import { ConsumerRegistry } from './consumer-registry';
import { decodeJobFailure, encodeJobFailure } from './job-failure';
import { JobOutcomes } from './job-outcomes';
import { JOB_FAILED_HANDLER, JOB_HANDLER, JOB_PROCESSOR, JobProcessorMetadata } from './job-processor.decorator';
import { isFinalFailure } from './is-final-failure';

type Handler = (job: Job, token?: string) => Promise<unknown>;
type FailedHandler = (job: Job, error: Error) => unknown;

/** A class marked @JobProcessor with its bound methods. */
export interface DiscoveredProcessor extends JobProcessorMetadata {
  name: string;
  handle: Handler;
  onFailed: FailedHandler[];
}

/**
 * Finds every @JobProcessor provider and consumes its queue with its @JobHandler. The steps every job
 * shares are here, not in processors: the request id of the job's submission in the logs, the failure
 * encoded as an API.md body (retry policy), the outcome noted before BullMQ records it and announced
 * after (JobOutcomes), @OnJobFailed hooks once a job failed for good.
 */
@Injectable()
export class JobExplorer implements OnModuleInit {
  private readonly logger = new Logger('Jobs');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly consumers: ConsumerRegistry,
    private readonly outcomes: JobOutcomes,
  ) {}

  onModuleInit(): void {
    for (const processor of this.explore()) this.consume(processor);
  }

  /** Every provider marked @JobProcessor, with its handler and failure hooks bound to its instance. */
  explore(): DiscoveredProcessor[] {
    return this.discovery.getProviders({ metadataKey: JOB_PROCESSOR.KEY }).flatMap((wrapper) => {
      const instance = wrapper.instance as Record<string, (...args: unknown[]) => unknown> | undefined;
      if (!instance) return [];
      const metadata = this.discovery.getMetadataByDecorator(JOB_PROCESSOR, wrapper) as JobProcessorMetadata;
      const methods = this.scanner.getAllMethodNames(Object.getPrototypeOf(instance));
      const marked = (key: string) => methods.filter((method) => this.reflector.get(key, instance[method]) === true).map((method) => instance[method].bind(instance));
      const handlers = marked(JOB_HANDLER);
      if (handlers.length !== 1) throw new Error(`${wrapper.name}: a @JobProcessor has exactly one @JobHandler method, not ${handlers.length}`);
      return [{ ...metadata, name: String(wrapper.name), handle: handlers[0] as Handler, onFailed: marked(JOB_FAILED_HANDLER) as FailedHandler[] }];
    });
  }

  /** One attempt of a job: the handler's work, then the steps every job shares. */
  async run(processor: DiscoveredProcessor, job: Job, token?: string): Promise<unknown> {
    return runWithRequestId((job.data as { requestId?: string } | undefined)?.requestId, async () => {
      let result: unknown;
      try {
        result = await processor.handle(job, token);
      } catch (error) {
        if (error instanceof DelayedError) throw error;
        const failure = processor.retry ? encodeJobFailure(error, processor.retry) : (error as Error);
        if (processor.retry) this.logger.warn(`job ${job.id} of queue ${processor.queue}, attempt ${job.attemptsMade + 1}, failed: ${decodeJobFailure(failure.message).code}`);
        // noted before BullMQ records the failure; forgotten again when a retry follows
        if (processor.announceOutcomes) await this.outcomes.expect(job);
        throw failure;
      }
      if (processor.announceOutcomes) await this.outcomes.expect(job);
      return result;
    });
  }

  private consume(processor: DiscoveredProcessor): void {
    const worker = this.consumers.register(processor.queue, (job: Job, token?: string) => this.run(processor, job, token), processor.concurrency);
    if (processor.announceOutcomes) {
      worker.on('completed', (job: Job, result: unknown) => void this.outcomes.announce(job, outcomeEvent(job, { status: 'completed', result })));
      this.outcomes.watch(processor.queue, (job, state) =>
        outcomeEvent(job, state === 'completed' ? { status: 'completed', result: job.returnvalue } : { status: 'failed', error: decodeJobFailure(job.failedReason) }),
      );
    }
    worker.on('failed', (job: Job | undefined, error: Error) => {
      if (!job || error instanceof DelayedError) return;
      if (!isFinalFailure(job, error)) {
        if (processor.announceOutcomes) void this.outcomes.forget(job).catch(() => undefined);
        else this.logger.warn(`job ${job.id} of queue ${processor.queue} could not run (${error.message}); retried`);
        return;
      }
      if (processor.announceOutcomes) void this.outcomes.announce(job, outcomeEvent(job, { status: 'failed', error: decodeJobFailure(error.message) }));
      for (const onFailed of processor.onFailed) {
        void Promise.resolve()
          .then(() => onFailed(job, error))
          .catch((hookError: Error) => this.logger.error(`job ${job.id} of queue ${processor.queue}: ${processor.name} could not record its failure: ${hookError.message}`));
      }
    });
  }
}

/** The event of a finished job: its owner, and the job's type, which is its queue's name. */
function outcomeEvent(job: Job, outcome: Pick<JobEvent, 'status' | 'result' | 'error'>): JobEvent {
  return { userId: (job.data as { userId: string }).userId, jobId: job.id as string, type: job.queueName as JobType, ...outcome };
}
