import type { UserJobIndex, UserJobRef } from './user-job-index';

/** A job as far as the listing needs it: whose it is and when it was made. */
export interface OwnedJob {
  data: unknown;
  timestamp: number;
}

const PAGE_MIN = 20;

/**
 * The caller's newest `limit` jobs, newest first: pages through the user's job index, loads each job
 * from its queue, and drops the entries whose job is gone (expired from BullMQ, or never queued).
 */
export async function recentJobs<J extends OwnedJob>(
  index: Pick<UserJobIndex, 'page' | 'forget'>,
  load: (ref: UserJobRef) => Promise<J | undefined>,
  userId: string,
  limit: number,
): Promise<J[]> {
  const found: J[] = [];
  const gone: UserJobRef[] = [];
  const pageSize = Math.max(limit, PAGE_MIN);
  for (let offset = 0; found.length < limit; offset += pageSize) {
    const refs = await index.page(userId, offset, pageSize);
    const jobs = await Promise.all(refs.map((ref) => load(ref)));
    refs.forEach((ref, i) => {
      const job = jobs[i];
      // the index is the user's own, but a job is only ever shown to its owner
      if (job && (job.data as { userId?: string }).userId === userId) found.push(job);
      else gone.push(ref);
    });
    if (refs.length < pageSize) break;
  }
  // removed only now: removing while paging would shift the offsets
  if (gone.length > 0) await index.forget(userId, gone);
  return found.sort((a, b) => b.timestamp - a.timestamp).slice(0, limit);
}
