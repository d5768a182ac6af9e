import type { Job, Queue } from 'bullmq';
import { snapshot } from './job-reader';
import { toJobView } from './job-view';

/** A queue whose one job finishes right after the first read of it, whichever read that is. */
function finishingQueue() {
  let finished = false;
  const running = { id: 'ai_1', data: { type: 'ai', userId: 'u1' }, timestamp: 1, attemptsMade: 0, returnvalue: null };
  const done = { ...running, attemptsMade: 1, returnvalue: { reply: 'hi' }, finishedOn: 2 };
  const queue = {
    async getJobState() {
      const state = finished ? 'completed' : 'active';
      finished = true;
      return state;
    },
    async getJob() {
      const job = finished ? done : running;
      finished = true;
      return job as unknown as Job;
    },
  };
  return queue as unknown as Pick<Queue, 'getJobState' | 'getJob'>;
}

describe('snapshot', () => {
  it('never shows a job completed without its result when it finishes between the two reads', async () => {
    const found = await snapshot(finishingQueue(), 'ai_1');
    const view = toJobView(found!.job, found!.state);
    expect(view.status === 'completed' ? view.result : 'not completed yet').toBeTruthy();
    expect(view).toMatchObject({ status: 'active' });
  });

  it('is undefined for a job BullMQ does not know', async () => {
    const queue = { getJobState: async () => 'unknown', getJob: async () => undefined } as unknown as Pick<Queue, 'getJobState' | 'getJob'>;
    expect(await snapshot(queue, 'nope')).toBeUndefined();
  });
});
