import { IsInt, Max, Min } from 'class-validator';
import { ConfigPart } from '@ish/platform';

/** How a process that consumes the job queues runs them (the worker). See `.env.example`, section "worker". */
@ConfigPart()
export class JobWorkerConfig {
  /** jobs one worker process runs at once, per queue */
  @IsInt() @Min(1) @Max(1000)
  WORKER_CONCURRENCY = 16;

  /** a job whose lock is not renewed for this long is taken over by another worker (crash recovery) */
  @IsInt() @Min(1000) @Max(600_000)
  WORKER_LOCK_DURATION_MS = 30_000;

  /**
   * a finished job whose job.completed / job.failed is not confirmed this long after is announced by
   * a sweep (its worker stopped between recording the outcome and publishing it)
   */
  @IsInt() @Min(1000) @Max(3_600_000)
  WORKER_OUTCOME_GRACE_MS = 30_000;
}
