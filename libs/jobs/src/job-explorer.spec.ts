import 'reflect-metadata';
import { EventEmitter } from 'node:events';
import { Module } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { DelayedError, Job, Processor, UnrecoverableError } from 'bullmq';
import { QUEUES } from '@ish/contracts';
import { ApiError } from '@ish/platform';
import { ConsumerRegistry } from './consumer-registry';
import { JobExplorer } from './job-explorer';
import { JobOutcomes } from './job-outcomes';
import { JobHandler, JobProcessor, OnJobFailed } from './job-processor.decorator';

/** What the explorer did with the job outcomes, in order. */
const steps: string[] = [];

@JobProcessor(QUEUES.ai, { announceOutcomes: true, retry: 'unless-client-error', concurrency: 3 })
class AnswerProcessor {
  @JobHandler()
  async answer(job: Job<{ fail?: ApiError }>): Promise<string> {
    steps.push(`run ${job.id}`);
    if (job.data.fail) throw job.data.fail;
    return 'the answer';
  }

  /** not a handler: never called by the explorer */
  helper(): string {
    return 'helper';
  }
}

@JobProcessor(QUEUES.webhooks)
class DeliveryProcessor {
  @JobHandler()
  async deliver(job: Job<{ delay?: boolean }>): Promise<void> {
    if (job.data.delay) throw new DelayedError();
    throw new Error('database away');
  }

  @OnJobFailed()
  async givenUp(job: Job, error: Error): Promise<void> {
    steps.push(`gave up ${job.id}: ${error.message}`);
  }
}

class FakeConsumers {
  readonly started = new Map<string, { processor: Processor; concurrency?: number; worker: EventEmitter }>();
  register(queue: string, processor: Processor, concurrency?: number) {
    const worker = new EventEmitter();
    this.started.set(queue, { processor, concurrency, worker });
    return worker;
  }
}

const outcomes = {
  watched: [] as string[],
  watch: (queue: string) => void outcomes.watched.push(queue),
  expect: async (job: Job) => void steps.push(`noted ${job.id}`),
  forget: async (job: Job) => void steps.push(`forgot ${job.id}`),
  announce: async (job: Job, event: unknown) => void steps.push(`announced ${job.id} ${JSON.stringify(event)}`),
};

const jobOf = <D>(queueName: string, id: string, data: D, attempts = { attemptsMade: 1, opts: { attempts: 3 } }) => ({ queueName, id, data: { userId: 'u1', ...data }, ...attempts }) as unknown as Job;

describe('JobExplorer', () => {
  const consumers = new FakeConsumers();

  beforeAll(async () => {
    @Module({
      imports: [DiscoveryModule],
      providers: [AnswerProcessor, DeliveryProcessor, JobExplorer, { provide: ConsumerRegistry, useValue: consumers }, { provide: JobOutcomes, useValue: outcomes }],
    })
    class TestModule {}
    const app = await NestFactory.createApplicationContext(TestModule, { logger: false });
    await app.close();
  });
  beforeEach(() => steps.splice(0));

  it('finds every @JobProcessor and consumes its queue with its @JobHandler', () => {
    expect([...consumers.started.keys()].sort()).toEqual(['ai', 'webhooks']);
    expect(consumers.started.get('ai')!.concurrency).toBe(3);
    // outcomes are swept only for the queues that announce them
    expect(outcomes.watched).toEqual(['ai']);
  });

  it('notes the outcome after the work and before BullMQ records the result, then announces it once recorded', async () => {
    const { processor, worker } = consumers.started.get('ai')!;
    const job = jobOf('ai', 'ai_1', {});
    await expect(processor(job)).resolves.toBe('the answer');
    worker.emit('completed', job, 'the answer');
    await new Promise((resolve) => setImmediate(resolve));
    expect(steps).toEqual(['run ai_1', 'noted ai_1', `announced ai_1 ${JSON.stringify({ userId: 'u1', jobId: 'ai_1', type: 'ai', status: 'completed', result: 'the answer' })}`]);
  });

  it('stores a failure as its API.md body, final for a client error, and announces it only when final', async () => {
    const { processor, worker } = consumers.started.get('ai')!;
    const clientError = jobOf('ai', 'ai_2', { fail: ApiError.badRequest('nope', 'bad') });
    const failure = await Promise.resolve(processor(clientError)).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(UnrecoverableError);
    expect(JSON.parse(failure.message)).toEqual({ type: 'invalid_request_error', code: 'nope', message: 'bad' });
    worker.emit('failed', clientError, failure);

    const serverError = jobOf('ai', 'ai_3', { fail: ApiError.unavailable('later', 'upstream_unavailable') });
    const retryable = await Promise.resolve(processor(serverError)).catch((e: Error) => e);
    expect(retryable).not.toBeInstanceOf(UnrecoverableError);
    worker.emit('failed', serverError, retryable);
    await new Promise((resolve) => setImmediate(resolve));
    expect(steps).toEqual([
      'run ai_2',
      'noted ai_2',
      `announced ai_2 ${JSON.stringify({ userId: 'u1', jobId: 'ai_2', type: 'ai', status: 'failed', error: { type: 'invalid_request_error', code: 'nope', message: 'bad' } })}`,
      'run ai_3',
      'noted ai_3',
      // a retry follows: nothing to announce yet
      'forgot ai_3',
    ]);
  });

  it('leaves a processor without outcomes alone: errors as thrown, a delay passed through, the failure hook once final', async () => {
    const { processor, worker } = consumers.started.get('webhooks')!;
    await expect(processor(jobOf('webhooks', 'd-1', { delay: true }))).rejects.toBeInstanceOf(DelayedError);
    const job = jobOf('webhooks', 'd-2', {});
    const error = await Promise.resolve(processor(job)).catch((e: Error) => e);
    expect(error.message).toBe('database away');
    worker.emit('failed', job, error);
    worker.emit('failed', jobOf('webhooks', 'd-3', {}, { attemptsMade: 10, opts: { attempts: 10 } }), error);
    await new Promise((resolve) => setImmediate(resolve));
    expect(steps).toEqual(['gave up d-3: database away']);
  });

  it('refuses a processor without exactly one handler', async () => {
    @JobProcessor(QUEUES.adb)
    class Handless {}
    @Module({ imports: [DiscoveryModule], providers: [Handless, JobExplorer, { provide: ConsumerRegistry, useValue: new FakeConsumers() }, { provide: JobOutcomes, useValue: outcomes }] })
    class BrokenModule {}
    await expect(NestFactory.createApplicationContext(BrokenModule, { logger: false, abortOnError: false })).rejects.toThrow('exactly one @JobHandler');
  });
});
