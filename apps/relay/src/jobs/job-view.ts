import type { Job } from 'bullmq';
import type { JobType, JobView } from '@ish/contracts';

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
    ...(status === 'failed' ? { error: parseFailure(job.failedReason) } : {}),
    attempts: job.attemptsMade,
    createdAt: new Date(job.timestamp).toISOString(),
    ...(job.finishedOn ? { finishedAt: new Date(job.finishedOn).toISOString() } : {}),
  };
}

/** Workers store an API.md error body as the failure reason; anything else becomes a generic one. */
export function parseFailure(reason: string | undefined): NonNullable<JobView['error']> {
  try {
    const parsed = JSON.parse(reason ?? '') as NonNullable<JobView['error']>;
    if (parsed && typeof parsed.code === 'string') return parsed;
  } catch {
    /* not ours */
  }
  return { type: 'api_error', code: 'job_failed', message: reason || 'the job failed' };
}
