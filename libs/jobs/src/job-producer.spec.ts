import { JOB_OPTIONS } from './job-options';
import { JobProducer } from './job-producer';
import type { JobQueues } from './job-queues';

/** A registry whose queues record what was added, and a Redis that records the index writes. */
function producer() {
  const calls: unknown[][] = [];
  const queue = (name: string) => ({
    add: async (...args: unknown[]) => (calls.push([`${name}.add`, ...args]), { id: (args[2] as { jobId: string }).jobId }),
    addBulk: async (jobs: unknown[]) => void calls.push([`${name}.addBulk`, jobs]),
  });
  const chain = {
    zadd: (...args: unknown[]) => (calls.push(['zadd', ...args]), chain),
    zremrangebyrank: () => chain,
    expire: () => chain,
    exec: async () => [],
  };
  const queues = { get: queue } as unknown as JobQueues;
  return { producer: new JobProducer(queues, { multi: () => chain } as never), calls };
}

describe('JobProducer', () => {
  it('lists an owned job in its owner\'s index before queueing it with its options', async () => {
    const { producer: jobs, calls } = producer();
    await jobs.add({ queue: 'adb', name: 'adb.execute', data: { userId: 'u1' }, owner: 'u1', options: JOB_OPTIONS.adb('j-1') });
    expect(calls).toEqual([
      ['zadd', 'ish:jobs:user:u1', 'NX', expect.any(Number), 'adb:j-1'],
      ['adb.add', 'adb.execute', { userId: 'u1' }, { jobId: 'j-1', attempts: 1, removeOnComplete: { age: 86_400 }, removeOnFail: { age: 7 * 86_400 } }],
    ]);
  });

  it('queues an unowned job without touching any index', async () => {
    const { producer: jobs, calls } = producer();
    await jobs.addBulk('webhooks', [{ name: 'webhook.deliver', data: { deliveryId: 'd1' }, options: JOB_OPTIONS.webhook('d1') }]);
    await jobs.addBulk('webhooks', []);
    expect(calls).toEqual([['webhooks.addBulk', [{ name: 'webhook.deliver', data: { deliveryId: 'd1' }, opts: JOB_OPTIONS.webhook('d1') }]]]);
  });
});

describe('JOB_OPTIONS', () => {
  it('keeps the options jobs had before they got one home (jobs in a running Redis behave the same)', () => {
    expect(JOB_OPTIONS.ai('ai_1', 3, 3600)).toEqual({ jobId: 'ai_1', attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } });
    expect(JOB_OPTIONS.webhook('d1')).toEqual({ jobId: 'd1', removeOnComplete: true, removeOnFail: { age: 7 * 86_400 }, attempts: 10, backoff: { type: 'exponential', delay: 5000 } });
  });
});
