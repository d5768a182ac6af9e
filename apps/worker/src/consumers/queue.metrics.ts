import { Logger } from '@nestjs/common';
import type { Job, Queue, Worker } from 'bullmq';
import { defineCounter, defineGauge, withTimeout } from '@ish/platform';
import { isFinalFailure } from './is-final-failure';

/** The states `queue_jobs` reports; `waiting` also counts prioritized and paused jobs (none of them has started). */
export const QUEUE_JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
export type QueueJobState = (typeof QUEUE_JOB_STATES)[number];
export type QueueJobCounts = Record<QueueJobState, number>;

/** A scrape must answer within Prometheus' scrape_timeout (5 s) even while Redis hangs. */
export const JOB_COUNTS_TIMEOUT_MS = 1000;

/** The part of a BullMQ queue the gauge reads. */
export type JobCountsSource = Pick<Queue, 'name' | 'getJobCounts'>;

export const queueJobsCompletedTotal = defineCounter({
  name: 'queue_jobs_completed_total',
  help: 'Jobs this worker process completed, by queue',
  labelNames: ['queue'] as const,
});

export const queueJobsFailedTotal = defineCounter({
  name: 'queue_jobs_failed_total',
  help: 'Jobs this worker process failed for good (not retryable, or attempts used up), by queue',
  labelNames: ['queue'] as const,
});

/**
 * Reads one queue's job counts for a scrape: never longer than `timeoutMs`, and at most one read in
 * flight, so scrapes while Redis hangs wait on the same read instead of piling up new ones.
 */
export class QueueJobCounter {
  private readonly logger = new Logger('QueueMetrics');
  private inFlight?: Promise<QueueJobCounts>;
  private failing = false;

  constructor(
    private readonly source: JobCountsSource,
    private readonly timeoutMs = JOB_COUNTS_TIMEOUT_MS,
  ) {}

  get queue(): string {
    return this.source.name;
  }

  /** The counts, or undefined when Redis did not answer in time. Never throws. */
  async read(): Promise<QueueJobCounts | undefined> {
    this.inFlight ??= this.countJobs().finally(() => (this.inFlight = undefined));
    try {
      const counts = await withTimeout(this.inFlight, this.timeoutMs, `job counts of queue ${this.queue}`);
      this.failing = false;
      return counts;
    } catch (error) {
      if (!this.failing) this.logger.warn(`queue_jobs{queue="${this.queue}"} left out until Redis answers: ${(error as Error).message}`);
      this.failing = true;
      return undefined;
    }
  }

  private async countJobs(): Promise<QueueJobCounts> {
    const counts = await this.source.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
    return {
      // BullMQ adds `paused` to a request for `waiting`
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.paused ?? 0),
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      failed: counts.failed ?? 0,
    };
  }
}

const counters = new Set<QueueJobCounter>();

export const queueJobsGauge = defineGauge({
  name: 'queue_jobs',
  help: 'Jobs in each BullMQ queue by state (waiting includes prioritized and paused), read from Redis at each scrape; a queue is left out while Redis does not answer',
  labelNames: ['queue', 'state'] as const,
  async collect() {
    const readings = await Promise.all([...counters].map(async (counter) => ({ queue: counter.queue, counts: await counter.read() })));
    // set from scratch: a queue Redis did not answer for shows no stale figures
    this.reset();
    for (const { queue, counts } of readings) {
      if (counts) for (const state of QUEUE_JOB_STATES) this.set({ queue, state }, counts[state]);
    }
  },
});

/** Exports the job counts of these queues in `queue_jobs` from now on; the returned function stops it. */
export function meterQueueJobs(queues: readonly JobCountsSource[], timeoutMs = JOB_COUNTS_TIMEOUT_MS): () => void {
  const added = queues.map((queue) => new QueueJobCounter(queue, timeoutMs));
  for (const counter of added) counters.add(counter);
  return () => {
    for (const counter of added) counters.delete(counter);
  };
}

/** Counts the jobs a worker completes and fails for good; both series exist from the start, at 0. */
export function countJobOutcomes(worker: Pick<Worker, 'on'>, queue: string): void {
  queueJobsCompletedTotal.inc({ queue }, 0);
  queueJobsFailedTotal.inc({ queue }, 0);
  worker.on('completed', () => queueJobsCompletedTotal.inc({ queue }));
  worker.on('failed', (job: Job | undefined, error: Error) => {
    if (job && isFinalFailure(job, error)) queueJobsFailedTotal.inc({ queue });
  });
}
