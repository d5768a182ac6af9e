import type { JobsOptions } from 'bullmq';

/** BullMQ's options with the job id always set by us */
export type IdentifiedJobOptions = JobsOptions & { jobId: string };

/**
 * The options of each kind of job, in one place. The job id is always ours (idempotent submission:
 * adding a job whose id exists is a no-op), and so is the retention of its result.
 */
export const JOB_OPTIONS = {
  /** AI call: retried with exponential backoff, result kept for `resultTtlSeconds` */
  ai(jobId: string, attempts: number, resultTtlSeconds: number): IdentifiedJobOptions {
    return { jobId, attempts, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: resultTtlSeconds }, removeOnFail: { age: resultTtlSeconds } };
  },
  /** device command: one attempt only, a command is not known to be safe to repeat */
  adb(jobId: string): IdentifiedJobOptions {
    return { jobId, attempts: 1, removeOnComplete: { age: 86_400 }, removeOnFail: { age: 7 * 86_400 } };
  },
  /**
   * webhook delivery, the delivery id as job id: retries of the delivery itself move the same job to the
   * delayed set; these attempts are for a processor that failed (database or Redis away), not the receiver
   */
  webhook(deliveryId: string): IdentifiedJobOptions {
    return { jobId: deliveryId, removeOnComplete: true, removeOnFail: { age: 7 * 86_400 }, attempts: 10, backoff: { type: 'exponential', delay: 5000 } };
  },
} as const;
