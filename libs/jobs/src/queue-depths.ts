import { Injectable } from '@nestjs/common';
import { JobQueues } from './job-queues';
import { METERED_QUEUES } from './queue-metering';
import { JOB_COUNTS_TIMEOUT_MS, QueueJobCounter, QueueJobCounts } from './queue.metrics';

export type MeteredQueue = (typeof METERED_QUEUES)[number];

/** Each metered queue's job counts; `null` for a queue Redis did not answer for in time. */
export type QueueDepthsReading = Record<MeteredQueue, QueueJobCounts | null>;

/**
 * The metered queues' job counts for an API answer (`GET /api/v1/stats`): the same reading as the
 * `queue_jobs` gauge (BullMQ's getJobCounts, waiting including prioritized and paused, bounded wait).
 */
@Injectable()
export class QueueDepths {
  private readonly counters: readonly QueueJobCounter[];

  constructor(queues: JobQueues) {
    this.counters = METERED_QUEUES.map((name) => new QueueJobCounter(queues.get(name), JOB_COUNTS_TIMEOUT_MS));
  }

  async read(): Promise<QueueDepthsReading> {
    const counts = await Promise.all(this.counters.map((counter) => counter.read()));
    return Object.fromEntries(this.counters.map((counter, i) => [counter.queue, counts[i] ?? null])) as QueueDepthsReading;
  }
}
