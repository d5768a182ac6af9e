import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { ReplyError } from 'ioredis';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EVENTS, JobEvent, REDIS_KEYS } from '@ish/contracts';
import { AmqpClient, RedisClient } from '@ish/platform';
import { WorkerConfig } from '../config';
import { MeteredQueues, METERED_QUEUES } from './metered-queues';

/** `<queue>:<jobId>` of every finished job whose event is not confirmed yet, scored by when it was noted (ms) */
export const PENDING_OUTCOMES_KEY = REDIS_KEYS.pendingJobOutcomes;
const SWEEP_BATCH = 100;
/** pause between tries of a note while Redis is away (the shared client fails fast until it is back) */
export const NOTE_RETRY_MS = 100;

/** Takes a pending outcome for announcing: only while its score is still the one the sweeper read. */
const CLAIM = `
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  return 1
end
return 0`;

/** What a finished job of a queue announces: its event, or undefined when it announces nothing. */
export type OutcomeEvent = (job: Job, state: 'completed' | 'failed') => JobEvent | undefined;

/**
 * `job.completed` / `job.failed` exactly when a job has finished, and never lost: a processor notes
 * the job (`expect`) before BullMQ records the outcome, the outcome is announced once recorded, and
 * the note is dropped once the broker confirmed the event. A worker killed between the two leaves the
 * note behind; any worker's sweep finds notes older than WORKER_OUTCOME_GRACE_MS and announces them
 * from the job as the queue holds it. The event's message id is derived from the job and outcome, so
 * a second announcement (a sweep racing a very slow publish) is dropped by consumers like any redelivery.
 */
@Injectable()
export class JobOutcomes implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('JobOutcomes');
  private readonly watched = new Map<string, { queue: Queue; toEvent: OutcomeEvent }>();
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<number>;

  constructor(
    private readonly config: WorkerConfig,
    private readonly redis: RedisClient,
    private readonly client: AmqpClient,
    private readonly queues: MeteredQueues,
  ) {}

  /** Sweeps the outcomes of `queue` too; `toEvent` builds a finished job's event. */
  watch(queueName: (typeof METERED_QUEUES)[number], toEvent: OutcomeEvent): void {
    this.watched.set(queueName, { queue: this.queues.get(queueName), toEvent });
  }

  /**
   * The job is about to finish (or fail for good): its outcome must be announced. Its work is done by
   * now, so a Redis restart is waited out (up to WORKER_LOCK_DURATION_MS, after which BullMQ hands the
   * job to another run anyway) rather than failing the attempt: a retry would run its side effects again.
   */
  async expect(job: Job): Promise<void> {
    const startedAt = Date.now();
    const giveUpAt = startedAt + this.config.WORKER_LOCK_DURATION_MS;
    for (let tries = 1; ; tries++) {
      try {
        await this.redis.zadd(PENDING_OUTCOMES_KEY, Date.now(), member(job));
        if (tries > 1) this.logger.warn(`job ${job.id} finished while Redis was away: its outcome was noted ${Date.now() - startedAt} ms later, the job not run again`);
        return;
      } catch (error) {
        // an answer of Redis (ReplyError) will not change by asking again; an unreachable Redis will
        if (error instanceof ReplyError || Date.now() + NOTE_RETRY_MS > giveUpAt) throw error;
        await sleep(NOTE_RETRY_MS);
      }
    }
  }

  /** The job failed but will be tried again: nothing to announce yet. */
  async forget(job: Job): Promise<void> {
    await this.redis.zrem(PENDING_OUTCOMES_KEY, member(job));
  }

  /** Publishes the event until the broker confirms it, then drops the note. */
  async announce(job: Job, event: JobEvent): Promise<void> {
    try {
      await this.client.publishEvent(event.status === 'completed' ? EVENTS.jobCompleted : EVENTS.jobFailed, event, outcomeMessageId(job, event.status));
      await this.forget(job);
    } catch (error) {
      // the note stays: a sweep announces it later
      this.logger.error(`could not publish the outcome of job ${job.id}: ${(error as Error).message}`);
    }
  }

  /** Announces the outcomes noted before now − grace and never confirmed; how many it announced. */
  async sweep(now = Date.now()): Promise<number> {
    this.sweeping ??= this.sweepOnce(now).finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  onApplicationBootstrap(): void {
    const every = Math.max(500, Math.floor(this.config.WORKER_OUTCOME_GRACE_MS / 2));
    this.timer = setInterval(() => void this.sweep().catch((error: unknown) => this.logger.warn(`outcome sweep failed: ${(error as Error).message}`)), every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping?.catch(() => undefined);
  }

  private async sweepOnce(now: number): Promise<number> {
    const stale = await this.redis.zrangebyscore(PENDING_OUTCOMES_KEY, '-inf', now - this.config.WORKER_OUTCOME_GRACE_MS, 'WITHSCORES', 'LIMIT', 0, SWEEP_BATCH);
    let announced = 0;
    for (let i = 0; i < stale.length; i += 2) {
      const [name, score] = [stale[i], stale[i + 1]];
      const separator = name.indexOf(':');
      const watched = this.watched.get(name.slice(0, separator));
      if (!watched) continue;
      // one sweeper per note; a later sweep may take it again if this one dies too
      if (Number(await this.redis.eval(CLAIM, 1, PENDING_OUTCOMES_KEY, name, score, String(now))) !== 1) continue;
      const job = await watched.queue.getJob(name.slice(separator + 1));
      const state = job ? await job.getState() : 'unknown';
      if (!job || state === 'unknown') {
        await this.redis.zrem(PENDING_OUTCOMES_KEY, name);
        continue;
      }
      // still running or waiting for a retry (its worker died before BullMQ recorded anything): that run notes it again
      if (state !== 'completed' && state !== 'failed') continue;
      const event = watched.toEvent(job, state);
      if (!event) {
        await this.forget(job);
        continue;
      }
      this.logger.warn(`job ${job.id} ${state} without its event (its worker stopped in between): announcing it now`);
      await this.announce(job, event);
      announced++;
    }
    return announced;
  }
}

function member(job: Job): string {
  return `${job.queueName}:${job.id}`;
}

/** The same id every time this job's outcome is announced, so a consumer keeps one copy. */
export function outcomeMessageId(job: Pick<Job, 'queueName' | 'id'>, status: JobEvent['status']): string {
  return `job-${createHash('sha256').update(`${job.queueName}\n${job.id}\n${status}`).digest('hex').slice(0, 40)}`;
}
