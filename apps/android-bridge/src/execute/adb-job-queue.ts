import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { AdbJobData, ExecuteAccepted, ExecuteResult, JOBS, Principal, QUEUES } from '@ish/contracts';
import { AdbExecutor, ExecuteCommand } from '@ish/adb';
import { ApiError, bullConnection, currentRequestId, PlatformConfig, RedisClient, UserJobIndex, withTimeout } from '@ish/platform';

const ENQUEUE_TIMEOUT_MS = 5000;
const COMPLETED_RETENTION_SECONDS = 86_400;
const FAILED_RETENTION_SECONDS = 7 * 86_400;

/**
 * `mode: "async"`: the request is checked here as a sync one would be (a refusal answers at once,
 * nothing is queued), then a worker runs it with the same executor. One attempt only: a device
 * command is not known to be safe to repeat.
 */
@Injectable()
export class AdbJobQueue implements OnApplicationShutdown {
  private readonly queue: Queue<AdbJobData, ExecuteResult>;
  private readonly index: UserJobIndex;

  constructor(
    config: PlatformConfig,
    private readonly executor: AdbExecutor,
    redis: RedisClient,
  ) {
    this.queue = new Queue<AdbJobData, ExecuteResult>(QUEUES.adb, { connection: bullConnection(config.REDIS_URL) });
    this.queue.on('error', () => undefined);
    // the caller's job list (GET /api/v1/jobs, served by relay) shows adb jobs too
    this.index = new UserJobIndex(redis);
  }

  async submit(request: ExecuteCommand, principal: Principal): Promise<ExecuteAccepted> {
    const jobId = randomUUID();
    await this.executor.preflight(request, { userId: principal.userId, credentialId: principal.credentialId, mode: 'async', jobId });
    const requestId = currentRequestId();
    const data: AdbJobData = {
      type: 'adb',
      userId: principal.userId,
      credentialId: principal.credentialId,
      request: { serial: request.serial, command: request.command, args: request.args ?? [], ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}) },
      ...(requestId ? { requestId } : {}),
    };
    try {
      await withTimeout(
        (async () => {
          await this.index.record(principal.userId, { queue: QUEUES.adb, jobId });
          await this.queue.add(JOBS.adbExecute, data, { jobId, attempts: 1, removeOnComplete: { age: COMPLETED_RETENTION_SECONDS }, removeOnFail: { age: FAILED_RETENTION_SECONDS } });
        })(),
        ENQUEUE_TIMEOUT_MS,
        'the adb queue',
      );
    } catch (error) {
      throw ApiError.unavailable(`The job could not be queued: ${(error as Error).message}`, 'queue_unavailable');
    }
    return { jobId, status: 'queued' };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch(() => undefined);
  }
}
