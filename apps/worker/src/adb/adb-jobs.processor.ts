import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { AdbJobData, ExecuteResult, JobEvent, parseJobFailure, QUEUES, REDIS_KEYS } from '@ish/contracts';
import { AdbExecutor } from '@ish/adb';
import { ApiError, PROCESS_ID, RedisClient, runWithRequestId, toErrorResponse } from '@ish/platform';
import { ConsumerRegistry } from '../consumers/consumer-registry';
import { JobOutcomes } from '../consumers/job-outcomes';

const STARTED_TTL_SECONDS = 7 * 86_400;

/**
 * Runs `adb` jobs with the bridge's own executor (allow-list, device lock, timeout, audit). A job is
 * tried once: its failure reason is the API.md error body as JSON. A job whose worker died is handed
 * to another worker by BullMQ; that one fails it instead of running the command a second time.
 * `job.completed` / `job.failed` follow once the outcome is stored in the queue (JobOutcomes: also
 * when this worker dies in between).
 */
@Injectable()
export class AdbJobsProcessor implements OnModuleInit {
  private readonly logger = new Logger('AdbJobs');

  constructor(
    private readonly registry: ConsumerRegistry,
    private readonly executor: AdbExecutor,
    private readonly outcomes: JobOutcomes,
    private readonly redis: RedisClient,
  ) {}

  onModuleInit(): void {
    const worker = this.registry.register(QUEUES.adb, (job: Job<AdbJobData>) => this.process(job));
    worker.on('completed', (job: Job<AdbJobData>, result: ExecuteResult) => void this.outcomes.announce(job, outcomeEvent(job, { status: 'completed', result })));
    worker.on('failed', (job: Job<AdbJobData> | undefined, error: Error) => {
      if (job) void this.outcomes.announce(job, outcomeEvent(job, { status: 'failed', error: parseJobFailure(error.message) }));
    });
    this.outcomes.watch(QUEUES.adb, (job, state) =>
      outcomeEvent(job as Job<AdbJobData>, state === 'completed' ? { status: 'completed', result: job.returnvalue as ExecuteResult } : { status: 'failed', error: parseJobFailure(job.failedReason) }),
    );
  }

  async process(job: Job<AdbJobData>): Promise<ExecuteResult> {
    const { userId, credentialId, request, requestId } = job.data;
    return runWithRequestId(requestId, async () => {
      let result: ExecuteResult;
      try {
        if (!(await this.claim(job))) throw ApiError.conflict('The worker running this job stopped; a device command is never run twice', 'job_interrupted');
        result = await this.executor.execute(request, { userId, credentialId, mode: 'async', jobId: job.id ?? null });
      } catch (error) {
        const { body } = toErrorResponse(error);
        this.logger.warn(`job ${job.id} failed: ${body.error.code}`);
        await this.outcomes.expect(job);
        // never retried: the command may have had effects on the device
        throw new UnrecoverableError(JSON.stringify({ type: body.error.type, code: body.error.code, message: body.error.message }));
      }
      await this.outcomes.expect(job);
      return result;
    });
  }

  /** true the first time any worker starts this job */
  private async claim(job: Job<AdbJobData>): Promise<boolean> {
    return (await this.redis.set(REDIS_KEYS.adbJobStarted(String(job.id)), PROCESS_ID, 'EX', STARTED_TTL_SECONDS, 'NX')) === 'OK';
  }

}

function outcomeEvent(job: Job<AdbJobData>, outcome: Pick<JobEvent, 'status' | 'result' | 'error'>): JobEvent {
  return { userId: job.data.userId, jobId: job.id as string, type: 'adb', ...outcome };
}
