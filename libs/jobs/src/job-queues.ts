import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { PlatformConfig } from '@ish/platform';
import { bullConnection } from './bull-connection';

/**
 * The queue registry: this process's one handle per BullMQ queue, opened on first use and closed at
 * shutdown. Producers, readers, outcome sweeps and metrics share it; nothing else opens a queue.
 */
@Injectable()
export class JobQueues implements OnApplicationShutdown {
  private readonly logger = new Logger('JobQueues');
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly config: PlatformConfig) {}

  /** The shared handle on queue `name`. */
  get<Data = unknown, Result = unknown>(name: string): Queue<Data, Result> {
    let queue = this.queues.get(name);
    if (!queue) this.queues.set(name, (queue = this.open(name)));
    return queue as Queue<Data, Result>;
  }

  /** A handle of the caller's own (not shared), which the caller closes: a per-process queue such as the consumers' canary. */
  open(name: string): Queue {
    const queue = new Queue(name, { connection: bullConnection(this.config.REDIS_URL) });
    // a Redis outage shows in readiness checks and in the callers' errors; unheard, it would crash the process
    queue.on('error', (error) => this.logger.debug(`queue ${name}: ${error.message}`));
    return queue;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }
}
