import type { UserJobRef } from './user-job-index';
import { recentJobs } from './recent-jobs';

interface FakeJob {
  id: string;
  data: { userId: string };
  timestamp: number;
}

/** the index as a newest-first list, and the queues as a map: what Redis and BullMQ hold */
function system(refs: UserJobRef[], jobs: FakeJob[]) {
  const listed = [...refs];
  const stored = new Map(jobs.map((job) => [job.id, job]));
  const pages: [number, number][] = [];
  const index = {
    page: async (_userId: string, offset: number, count: number) => {
      pages.push([offset, count]);
      return listed.slice(offset, offset + count);
    },
    forget: async (_userId: string, gone: UserJobRef[]) => {
      for (const ref of gone) listed.splice(listed.findIndex((r) => r.jobId === ref.jobId), 1);
    },
  };
  const load = async (ref: UserJobRef) => stored.get(ref.jobId);
  return { index, load, listed, pages };
}

const job = (id: string, timestamp: number, userId = 'u1'): FakeJob => ({ id, data: { userId }, timestamp });
const ref = (jobId: string, queue = 'ai'): UserJobRef => ({ queue, jobId });

describe('recentJobs', () => {
  it('answers the newest jobs of both queues, newest first, at most limit', async () => {
    const { index, load } = system([ref('c', 'adb'), ref('b'), ref('a')], [job('a', 1), job('b', 2), job('c', 3)]);
    expect((await recentJobs(index, load, 'u1', 2)).map((j) => j.id)).toEqual(['c', 'b']);
    expect((await recentJobs(index, load, 'u1', 10)).map((j) => j.id)).toEqual(['c', 'b', 'a']);
  });

  it('orders by the job\'s own creation time when the index order differs', async () => {
    const { index, load } = system([ref('a'), ref('b')], [job('a', 5), job('b', 9)]);
    expect((await recentJobs(index, load, 'u1', 5)).map((j) => j.id)).toEqual(['b', 'a']);
  });

  it('skips and forgets entries whose job has expired, paging on until it has enough', async () => {
    const refs = Array.from({ length: 45 }, (_, i) => ref(`j${i}`));
    // only every third job is still stored
    const jobs = refs.filter((_, i) => i % 3 === 0).map((r, i) => job(r.jobId, 1000 - i));
    const { index, load, listed, pages } = system(refs, jobs);
    const found = await recentJobs(index, load, 'u1', 10);
    expect(found.map((j) => j.id)).toEqual(['j0', 'j3', 'j6', 'j9', 'j12', 'j15', 'j18', 'j21', 'j24', 'j27']);
    expect(pages).toEqual([[0, 20], [20, 20]]);
    // what it read and found gone is no longer listed; what it never read stays
    expect(listed.map((r) => r.jobId)).toEqual(refs.map((r) => r.jobId).filter((_, i) => i % 3 === 0 || i >= 40));
  });

  it('never shows a job of another user, even when the index names it', async () => {
    const { index, load, listed } = system([ref('mine'), ref('theirs')], [job('mine', 1), job('theirs', 2, 'u2')]);
    expect((await recentJobs(index, load, 'u1', 5)).map((j) => j.id)).toEqual(['mine']);
    expect(listed).toEqual([ref('mine')]);
  });

  it('answers an empty list for a user without jobs, reading one page', async () => {
    const { index, load, pages } = system([], []);
    expect(await recentJobs(index, load, 'u1', 20)).toEqual([]);
    expect(pages).toEqual([[0, 20]]);
  });
});
