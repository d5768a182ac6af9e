import { Job, UnrecoverableError } from 'bullmq';

/**
 * Whether a failed attempt was the job's last: the error is not retryable, or its attempts are used
 * up. A worker emits `failed` for every attempt, after counting it in `attemptsMade`.
 */
export function isFinalFailure(job: Pick<Job, 'attemptsMade' | 'opts'>, error: Error): boolean {
  return error instanceof UnrecoverableError || error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
}
