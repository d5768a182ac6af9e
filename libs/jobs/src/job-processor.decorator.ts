import { SetMetadata } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { QueueName } from '@ish/contracts';
import type { RetryPolicy } from './job-failure';

export interface JobProcessorOptions {
  /**
   * `job.completed` / `job.failed` for every finished job, never lost (JobOutcomes): the handler only
   * returns its result or throws
   */
  announceOutcomes?: boolean;
  /** failed attempts are stored as API.md error bodies (encodeJobFailure) and retried by this policy; unset, the handler's errors are stored as they are */
  retry?: RetryPolicy;
  /** jobs of this queue one process runs at once (default WORKER_CONCURRENCY) */
  concurrency?: number;
}

export interface JobProcessorMetadata extends JobProcessorOptions {
  queue: QueueName;
}

/** Found by the JobExplorer: the class is a provider that consumes one queue. */
export const JOB_PROCESSOR = DiscoveryService.createDecorator<JobProcessorMetadata>();
export const JOB_HANDLER = 'ish:jobs:handler';
export const JOB_FAILED_HANDLER = 'ish:jobs:failed-handler';

/** Makes the class the consumer of `queue` in every process that imports JobWorkersModule. */
export function JobProcessor(queue: QueueName, options: JobProcessorOptions = {}): ClassDecorator {
  return JOB_PROCESSOR({ queue, ...options });
}

/** The method that runs each job of the processor's queue: `(job, token)`, its return value the job's result. */
export const JobHandler = (): MethodDecorator => SetMetadata(JOB_HANDLER, true);

/** Called once a job has failed for good (not when a retry follows): `(job, error)`. */
export const OnJobFailed = (): MethodDecorator => SetMetadata(JOB_FAILED_HANDLER, true);
