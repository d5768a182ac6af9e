import type { Job } from 'bullmq';
import { ReplyError } from 'ioredis';
import type { AmqpClient, RedisClient } from '@ish/platform';
import { JobOutcomes, NOTE_RETRY_MS, outcomeMessageId, PENDING_OUTCOMES_KEY } from './job-outcomes';
import type { JobQueues } from './job-queues';
import type { JobWorkerConfig } from './jobs.config';

describe('outcomeMessageId', () => {
  it('is the same for every announcement of one outcome and differs between jobs, queues and outcomes', () => {
    const id = outcomeMessageId({ queueName: 'ai', id: 'ai_1' }, 'completed');
    expect(outcomeMessageId({ queueName: 'ai', id: 'ai_1' }, 'completed')).toBe(id);
    expect(new Set([id, outcomeMessageId({ queueName: 'ai', id: 'ai_2' }, 'completed'), outcomeMessageId({ queueName: 'adb', id: 'ai_1' }, 'completed'), outcomeMessageId({ queueName: 'ai', id: 'ai_1' }, 'failed')]).size).toBe(4);
    // a message id consumers accept as an event id (libs/webhooks domainEventId: at most 128 characters)
    expect(id).toMatch(/^job-[0-9a-f]{40}$/);
  });
});

describe('JobOutcomes.expect', () => {
  const job = { queueName: 'ai', id: 'ai_1' } as Job;
  const unreachable = () => new Error("Stream isn't writeable and enableOfflineQueue options is false");

  function outcomesWith(zadd: jest.Mock, lockDurationMs = 2000) {
    const config = { WORKER_LOCK_DURATION_MS: lockDurationMs, WORKER_OUTCOME_GRACE_MS: 30_000 } as JobWorkerConfig;
    return new JobOutcomes(config, { zadd } as unknown as RedisClient, {} as AmqpClient, {} as JobQueues);
  }

  it('waits out a Redis restart instead of failing a job whose work is done (a retry would run it twice)', async () => {
    const zadd = jest.fn().mockRejectedValueOnce(unreachable()).mockRejectedValueOnce(unreachable()).mockResolvedValue(1);
    await expect(outcomesWith(zadd).expect(job)).resolves.toBeUndefined();
    expect(zadd).toHaveBeenCalledTimes(3);
    expect(zadd).toHaveBeenLastCalledWith(PENDING_OUTCOMES_KEY, expect.any(Number), 'ai:ai_1');
  });

  it('gives up once the job lock has lapsed (BullMQ hands the job to another run by then anyway)', async () => {
    const zadd = jest.fn().mockRejectedValue(unreachable());
    const startedAt = Date.now();
    await expect(outcomesWith(zadd, 3 * NOTE_RETRY_MS).expect(job)).rejects.toThrow("Stream isn't writeable");
    expect(Date.now() - startedAt).toBeLessThan(3 * NOTE_RETRY_MS + 200);
    expect(zadd.mock.calls.length).toBeGreaterThan(1);
  });

  it('does not ask again when Redis answered with an error', async () => {
    const zadd = jest.fn().mockRejectedValue(new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value'));
    await expect(outcomesWith(zadd).expect(job)).rejects.toThrow('WRONGTYPE');
    expect(zadd).toHaveBeenCalledTimes(1);
  });
});
