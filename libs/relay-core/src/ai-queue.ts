import { JOBS, QUEUES } from '@ish/contracts';
import type { JobsOptions } from 'bullmq';

/** Attempts with exponential backoff; results kept for `resultTtlSeconds`. */
export function aiJobOptions(jobId: string, attempts: number, resultTtlSeconds: number): JobsOptions {
  return {
    jobId,
    attempts,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: resultTtlSeconds },
    removeOnFail: { age: resultTtlSeconds },
  };
}

export const AI_QUEUE = QUEUES.ai;
export const AI_JOB = JOBS.aiCompletion;
