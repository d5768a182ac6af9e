import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { QUEUES } from '@ish/contracts';
import { JobQueues } from './job-queues';
import { meterQueueJobs } from './queue.metrics';

/** The queues whose job counts every worker exports (`queue_jobs`); Prometheus keeps the max over workers. */
export const METERED_QUEUES = [QUEUES.ai, QUEUES.adb, QUEUES.webhooks] as const;

/** Exports the metered queues' job counts, read at scrape time, for as long as the process runs. */
@Injectable()
export class QueueMetering implements OnApplicationShutdown {
  private readonly stopMetering: () => void;

  constructor(queues: JobQueues) {
    this.stopMetering = meterQueueJobs(METERED_QUEUES.map((name) => queues.get(name)));
  }

  onApplicationShutdown(): void {
    this.stopMetering();
  }
}
