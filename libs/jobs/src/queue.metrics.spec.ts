import { EventEmitter } from 'node:events';
import { UnrecoverableError } from 'bullmq';
import type { Job, Worker } from 'bullmq';
import { metricsRegistry } from '@ish/platform';
import { countJobOutcomes, JobCountsSource, meterQueueJobs, queueJobsCompletedTotal, queueJobsFailedTotal } from './queue.metrics';

async function lines(prefix: string): Promise<string[]> {
  return (await metricsRegistry.metrics()).split('\n').filter((line) => line.startsWith(prefix));
}

function fakeQueue(name: string, getJobCounts: () => Promise<Record<string, number>>): JobCountsSource & { calls: number } {
  const queue = {
    name,
    calls: 0,
    getJobCounts: () => (queue.calls++, getJobCounts()),
  };
  return queue as unknown as JobCountsSource & { calls: number };
}

describe('queue_jobs', () => {
  let stops: (() => void)[] = [];
  const meter = (...args: Parameters<typeof meterQueueJobs>): void => void stops.push(meterQueueJobs(...args));
  afterEach(() => {
    for (const stop of stops) stop();
    stops = [];
  });

  it('reads every metered queue at scrape time, waiting including prioritized and paused jobs', async () => {
    meter([
      fakeQueue('ai', async () => ({ waiting: 3, prioritized: 2, paused: 1, active: 4, delayed: 5, failed: 6 })),
      fakeQueue('adb', async () => ({})),
    ]);
    expect(await lines('queue_jobs{')).toEqual([
      'queue_jobs{queue="ai",state="waiting"} 6',
      'queue_jobs{queue="ai",state="active"} 4',
      'queue_jobs{queue="ai",state="delayed"} 5',
      'queue_jobs{queue="ai",state="failed"} 6',
      'queue_jobs{queue="adb",state="waiting"} 0',
      'queue_jobs{queue="adb",state="active"} 0',
      'queue_jobs{queue="adb",state="delayed"} 0',
      'queue_jobs{queue="adb",state="failed"} 0',
    ]);
  });

  it('shows the counts of this scrape, not the last one', async () => {
    let waiting = 7;
    meter([fakeQueue('ai', async () => ({ waiting }))]);
    expect(await lines('queue_jobs{queue="ai",state="waiting"}')).toEqual(['queue_jobs{queue="ai",state="waiting"} 7']);
    waiting = 0;
    expect(await lines('queue_jobs{queue="ai",state="waiting"}')).toEqual(['queue_jobs{queue="ai",state="waiting"} 0']);
  });

  it('leaves out a queue whose counts fail, without failing the scrape', async () => {
    meter([fakeQueue('ai', async () => Promise.reject(new Error('Connection is closed'))), fakeQueue('adb', async () => ({ waiting: 1 }))]);
    const exposition = await metricsRegistry.metrics();
    expect(exposition).toContain('# TYPE queue_jobs gauge');
    expect(exposition).not.toContain('queue_jobs{queue="ai"');
    expect(exposition).toContain('queue_jobs{queue="adb",state="waiting"} 1');
  });

  it('answers within its time box while Redis hangs, and never stacks up reads', async () => {
    const hanging = fakeQueue('ai', () => new Promise(() => undefined));
    meter([hanging, fakeQueue('adb', async () => ({ active: 2 }))], 50);
    const started = Date.now();
    for (let scrape = 0; scrape < 3; scrape++) {
      const exposition = await metricsRegistry.metrics();
      expect(exposition).not.toContain('queue_jobs{queue="ai"');
      expect(exposition).toContain('queue_jobs{queue="adb",state="active"} 2');
    }
    expect(Date.now() - started).toBeLessThan(1000);
    expect(hanging.calls).toBe(1);
  });

  it('stops reading a queue once unmetered', async () => {
    const stop = meterQueueJobs([fakeQueue('ai', async () => ({ waiting: 1 }))]);
    expect(await lines('queue_jobs{')).toHaveLength(4);
    stop();
    expect(await lines('queue_jobs{')).toEqual([]);
  });
});

describe('queue_jobs_completed_total and queue_jobs_failed_total', () => {
  const job = (attemptsMade: number, attempts: number) => ({ attemptsMade, opts: { attempts } }) as Job;

  beforeEach(() => {
    queueJobsCompletedTotal.reset();
    queueJobsFailedTotal.reset();
  });

  it('start at 0 for a registered queue', async () => {
    countJobOutcomes(new EventEmitter() as unknown as Worker, 'ai');
    expect(await lines('queue_jobs_completed_total{')).toEqual(['queue_jobs_completed_total{queue="ai"} 0']);
    expect(await lines('queue_jobs_failed_total{')).toEqual(['queue_jobs_failed_total{queue="ai"} 0']);
  });

  it('count completed jobs, and failed ones only when they fail for good', async () => {
    const worker = new EventEmitter();
    countJobOutcomes(worker as unknown as Worker, 'ai');
    worker.emit('completed', job(1, 3), {});
    worker.emit('completed', job(2, 3), {});
    worker.emit('failed', job(1, 3), new Error('retryable'));
    worker.emit('failed', job(3, 3), new Error('retryable'));
    worker.emit('failed', job(1, 3), new UnrecoverableError('client error'));
    worker.emit('failed', undefined, new Error('no job'));
    expect(await lines('queue_jobs_completed_total{')).toEqual(['queue_jobs_completed_total{queue="ai"} 2']);
    expect(await lines('queue_jobs_failed_total{')).toEqual(['queue_jobs_failed_total{queue="ai"} 2']);
  });
});
