import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AdbJobData, ExecuteAccepted, JOBS, Principal, QUEUES } from '@ish/contracts';
import { AdbExecutor, ExecuteCommand } from '@ish/adb';
import { JOB_OPTIONS, JobProducer } from '@ish/jobs';
import { ApiError, currentRequestId, withTimeout } from '@ish/platform';

const ENQUEUE_TIMEOUT_MS = 5000;

/**
 * `mode: "async"`: the request is checked here as a sync one would be (a refusal answers at once,
 * nothing is queued), then a worker runs it with the same executor.
 */
@Injectable()
export class AdbJobQueue {
  constructor(
    private readonly executor: AdbExecutor,
    private readonly jobs: JobProducer,
  ) {}

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
      // owned: the caller's job list (GET /api/v1/jobs, served by relay) shows adb jobs too
      await withTimeout(this.jobs.add({ queue: QUEUES.adb, name: JOBS.adbExecute, data, owner: principal.userId, options: JOB_OPTIONS.adb(jobId) }), ENQUEUE_TIMEOUT_MS, 'the adb queue');
    } catch (error) {
      throw ApiError.unavailable(`The job could not be queued: ${(error as Error).message}`, 'queue_unavailable');
    }
    return { jobId, status: 'queued' };
  }
}
