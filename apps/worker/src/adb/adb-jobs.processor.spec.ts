import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { AdbJobData } from '@ish/contracts';
import type { AdbExecutor } from '@ish/adb';
import { ApiError, RedisClient } from '@ish/platform';
import { encodeJobFailure } from '@ish/jobs';
import { AdbJobsProcessor } from './adb-jobs.processor';

const job = { id: 'job-1', data: { type: 'adb', userId: 'u1', credentialId: 'k1', request: { serial: 's1', command: 'echo', args: ['hi'] } } } as unknown as Job<AdbJobData>;

function processorWith(execute: AdbExecutor['execute'], started = new Set<string>()) {
  const calls: unknown[][] = [];
  const executor = { execute: (...args: Parameters<AdbExecutor['execute']>) => (calls.push(args), execute(...args)) } as unknown as AdbExecutor;
  const redis = { set: async (key: string) => (started.has(key) ? null : (started.add(key), 'OK')) } as unknown as RedisClient;
  const processor = new AdbJobsProcessor(executor, redis);
  return { processor, calls };
}

/** How the attempt's failure is stored: the processor's policy is `retry: 'never'`. */
async function failureOf(run: Promise<unknown>): Promise<Error> {
  return encodeJobFailure(await run.catch((e: unknown) => e), 'never');
}

describe('AdbJobsProcessor', () => {
  it('runs the job with the executor as an async execution of its owner', async () => {
    const result = { serial: 's1', command: 'echo', args: ['hi'], exitCode: 0, stdout: 'hi\n', durationMs: 3 };
    const { processor, calls } = processorWith(async () => result);
    await expect(processor.process(job)).resolves.toEqual(result);
    expect(calls).toEqual([[job.data.request, { userId: 'u1', credentialId: 'k1', mode: 'async', jobId: 'job-1' }]]);
  });

  it('fails for good with the API.md error body as the reason', async () => {
    const { processor } = processorWith(async () => {
      throw ApiError.conflict('Device s1 is offline', 'device_not_ready');
    });
    const error = await failureOf(processor.process(job));
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(JSON.parse(error.message)).toEqual({ type: 'conflict_error', code: 'device_not_ready', message: 'Device s1 is offline' });
  });

  it('never runs a job twice: a job taken over from a dead worker fails instead', async () => {
    const started = new Set<string>();
    const result = { serial: 's1', command: 'echo', args: ['hi'], exitCode: 0, stdout: 'hi\n', durationMs: 3 };
    await processorWith(async () => result, started).processor.process(job);
    const second = processorWith(async () => result, started);
    const error = await failureOf(second.processor.process(job));
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(JSON.parse(error.message)).toMatchObject({ code: 'job_interrupted' });
    expect(second.calls).toEqual([]);
  });
});
