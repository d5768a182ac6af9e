import { Job } from 'bullmq';
import { AdbJobData, ExecuteResult, QUEUES, REDIS_KEYS } from '@ish/contracts';
import { AdbExecutor } from '@ish/adb';
import { JobHandler, JobProcessor } from '@ish/jobs';
import { ApiError, PROCESS_ID, RedisClient } from '@ish/platform';

const STARTED_TTL_SECONDS = 7 * 86_400;

/**
 * Runs `adb` jobs with the bridge's own executor (allow-list, device lock, timeout, audit). A job is
 * tried once: the command may have had effects on the device. A job whose worker died is handed to
 * another worker by BullMQ; that one fails it instead of running the command a second time.
 */
@JobProcessor(QUEUES.adb, { announceOutcomes: true, retry: 'never' })
export class AdbJobsProcessor {
  constructor(
    private readonly executor: AdbExecutor,
    private readonly redis: RedisClient,
  ) {}

  @JobHandler()
  async process(job: Job<AdbJobData>): Promise<ExecuteResult> {
    const { userId, credentialId, request } = job.data;
    if (!(await this.claim(job))) throw ApiError.conflict('The worker running this job stopped; a device command is never run twice', 'job_interrupted');
    return this.executor.execute(request, { userId, credentialId, mode: 'async', jobId: job.id ?? null });
  }

  /** true the first time any worker starts this job */
  private async claim(job: Job<AdbJobData>): Promise<boolean> {
    return (await this.redis.set(REDIS_KEYS.adbJobStarted(String(job.id)), PROCESS_ID, 'EX', STARTED_TTL_SECONDS, 'NX')) === 'OK';
  }
}
