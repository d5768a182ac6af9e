import type { JobQueues } from './job-queues';
import { QueueDepths } from './queue-depths';

function queuesAnswering(counts: Record<string, Record<string, number> | 'hang'>): JobQueues {
  return {
    get: (name: string) => ({
      name,
      getJobCounts: () => (counts[name] === 'hang' ? new Promise(() => undefined) : Promise.resolve(counts[name])),
    }),
  } as unknown as JobQueues;
}

describe('QueueDepths', () => {
  it('reads ai, adb and webhooks, folding prioritized and paused jobs into waiting', async () => {
    const depths = new QueueDepths(
      queuesAnswering({
        ai: { waiting: 3, prioritized: 1, paused: 2, active: 4, delayed: 0, failed: 5 },
        adb: { waiting: 0, active: 1, delayed: 2, failed: 0 },
        webhooks: { waiting: 0, active: 0, delayed: 7, failed: 1 },
      }),
    );
    expect(await depths.read()).toEqual({
      ai: { waiting: 6, active: 4, delayed: 0, failed: 5 },
      adb: { waiting: 0, active: 1, delayed: 2, failed: 0 },
      webhooks: { waiting: 0, active: 0, delayed: 7, failed: 1 },
    });
  });

  it('answers null for a queue Redis does not answer for within the timeout, the others still', async () => {
    jest.useFakeTimers();
    try {
      const depths = new QueueDepths(queuesAnswering({ ai: 'hang', adb: { waiting: 1 }, webhooks: { failed: 2 } }));
      const reading = depths.read();
      await jest.advanceTimersByTimeAsync(1000);
      expect(await reading).toEqual({ ai: null, adb: { waiting: 1, active: 0, delayed: 0, failed: 0 }, webhooks: { waiting: 0, active: 0, delayed: 0, failed: 2 } });
    } finally {
      jest.useRealTimers();
    }
  });
});
