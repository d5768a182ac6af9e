import type { Job } from 'bullmq';
import type { JobType, JobView } from '@ish/contracts';
import { decodeJobFailure } from './job-failure';

/** How BullMQ's states read in the API: retries waiting their backoff are still `queued`. */
export function toJobStatus(state: string): JobView['status'] {
  if (state === 'active') return 'active';
  if (state === 'completed') return 'completed';
  if (state === 'failed') return 'failed';
  return 'queued';
}

export function toJobView(job: Job, state: string): JobView {
  const status = toJobStatus(state);
  const data = job.data as { type?: JobType };
  return {
    id: job.id as string,
    type: data.type ?? 'ai',
    status,
    ...(status === 'completed' ? { result: job.returnvalue } : {}),
    ...(status === 'failed' ? { error: decodeJobFailure(job.failedReason) } : {}),
    attempts: job.attemptsMade,
    createdAt: new Date(job.timestamp).toISOString(),
    ...(job.finishedOn ? { finishedAt: new Date(job.finishedOn).toISOString() } : {}),
  };
}
