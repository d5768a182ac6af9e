import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QUEUES } from '@ish/contracts';
import { bullConnection, PlatformConfig } from '@ish/platform';
import { meterQueueJobs } from './queue.metrics';

/** The queues whose job counts every worker exports (`queue_jobs`); Prometheus keeps the max over workers. */
export const METERED_QUEUES = [QUEUES.ai, QUEUES.adb, QUEUES.webhooks] as const;

/**
 * Opens the metered queues for reading their counts at scrape time (and for whatever else of this
 * process reads jobs, see `get`), and closes them at shutdown.
 */
@Injectable()
export class MeteredQueues implements OnApplicationShutdown {
  private readonly queues: Queue[];
  private readonly stopMetering: () => void;

  constructor(config: PlatformConfig) {
    this.queues = METERED_QUEUES.map((name) => new Queue(name, { connection: bullConnection(config.REDIS_URL) }));
    // a Redis outage shows in the readiness check and in the consumers' logs; a scrape just leaves the queue out
    for (const queue of this.queues) queue.on('error', () => undefined);
    this.stopMetering = meterQueueJobs(this.queues);
  }

  /** This process's read handle on the queue `name`. */
  get(name: (typeof METERED_QUEUES)[number]): Queue {
    return this.queues[METERED_QUEUES.indexOf(name)];
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopMetering();
    await Promise.allSettled(this.queues.map((queue) => queue.close()));
  }
}
