import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Job, Processor, Queue, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { bullConnection, PlatformConfig, PROCESS_ID, ReadinessRegistry, withTimeout } from '@ish/platform';
import { WorkerConfig } from '../config';
import { countJobOutcomes } from './queue.metrics';
import { REDIS_KEYS } from '@ish/contracts';

const CANARY_TIMEOUT_MS = 2000;

/**
 * Owns every BullMQ worker of this process. Readiness is proven, not assumed: a canary job goes
 * through a queue of this process's own and must be consumed, which catches a consumer that
 * silently stopped after a Redis restart while PING still answers.
 */
@Injectable()
export class ConsumerRegistry implements OnApplicationShutdown {
  private readonly logger = new Logger('Consumers');
  private readonly workers: Worker[] = [];
  private readonly canaryQueueName = REDIS_KEYS.workerCanaryQueue(PROCESS_ID);
  private readonly canaryQueue: Queue;
  private readonly canaryWaiters = new Map<string, () => void>();

  constructor(
    private readonly config: WorkerConfig,
    private readonly platform: PlatformConfig,
    readiness: ReadinessRegistry,
  ) {
    this.canaryQueue = new Queue(this.canaryQueueName, { connection: this.connection(), defaultJobOptions: { removeOnComplete: true, removeOnFail: true } });
    this.canaryQueue.on('error', () => undefined);
    // not counted in the queue metrics: its name is per process
    this.startWorker(this.canaryQueueName, async (job: Job) => this.canaryWaiters.get(job.id as string)?.(), 1);
    readiness.add(() => this.check());
  }

  /** Starts consuming `queue` with the process's concurrency and lock settings, counting its completed and failed jobs. */
  register(queue: string, processor: Processor, concurrency = this.config.WORKER_CONCURRENCY): Worker {
    const worker = this.startWorker(queue, processor, concurrency);
    countJobOutcomes(worker, queue);
    return worker;
  }

  async check() {
    const stopped = this.workers.filter((w) => !w.isRunning()).map((w) => w.name);
    if (stopped.length > 0) return { consumers: { status: 'down' as const, message: `not running: ${stopped.join(', ')}` } };
    const id = randomUUID();
    try {
      const consumed = new Promise<void>((resolve) => this.canaryWaiters.set(id, resolve));
      await withTimeout(this.canaryQueue.add('canary', {}, { jobId: id }), CANARY_TIMEOUT_MS, 'canary enqueue');
      await withTimeout(consumed, CANARY_TIMEOUT_MS, 'canary job');
      return { consumers: { status: 'up' as const, queues: this.workers.length - 1 } };
    } catch (error) {
      return { consumers: { status: 'down' as const, message: (error as Error).message } };
    } finally {
      this.canaryWaiters.delete(id);
    }
  }

  /** Stops taking jobs and waits for the running ones; jobs not finished in time are taken over by another worker. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.close()));
    await this.canaryQueue.obliterate({ force: true }).catch(() => undefined);
    await this.canaryQueue.close().catch(() => undefined);
  }

  private startWorker(queue: string, processor: Processor, concurrency: number): Worker {
    const worker = new Worker(queue, processor, {
      // stored on each job it takes (job.processedBy): who ran what
      name: PROCESS_ID,
      connection: this.connection(),
      concurrency,
      lockDuration: this.config.WORKER_LOCK_DURATION_MS,
      stalledInterval: Math.max(1000, Math.floor(this.config.WORKER_LOCK_DURATION_MS / 2)),
      maxStalledCount: 2,
    });
    worker.on('error', (error) => this.logger.warn(`worker ${queue}: ${error.message}`));
    this.workers.push(worker);
    return worker;
  }

  private connection() {
    return bullConnection(this.platform.REDIS_URL);
  }
}
