import type { Job } from 'bullmq';
import { DelayedError, UnrecoverableError } from 'bullmq';
import type { AiJobData, RelayReply, RoutingTableSnapshot } from '@ish/contracts';
import { AmqpClient, AmqpConnection, ApiError, ReadinessRegistry } from '@ish/platform';
import { TokensPerMinuteReached, type AiJobRunner } from '@ish/relay-core';
import { RoutingTableStore } from '@ish/routing';
import { encodeJobFailure } from '@ish/jobs';
import { AiJobsProcessor } from './ai-jobs.processor';

const job = { id: 'ai_1', attemptsMade: 0, data: { type: 'ai', userId: 'u1', credentialId: 'k1', apiKeyId: null, conversationId: 'c1', model: 'm1', messages: [{ role: 'user', content: 'hi' }] } } as unknown as Job<AiJobData>;
const table: RoutingTableSnapshot = { strategy: 'least-latency', instances: [], version: 1 };
const reply = { id: 'ai_1', reply: 'hello' } as RelayReply;

/** The runner refuses like the real one does while no routing table is held. */
function processorWith(store: RoutingTableStore) {
  const runner = {
    run: async () => {
      if (!store.current()) throw ApiError.unavailable('The routing table is not loaded yet; retry shortly', 'routing_table_not_loaded');
      return reply;
    },
  } as unknown as AiJobRunner;
  return new AiJobsProcessor(runner, store);
}

describe('AiJobsProcessor', () => {
  it('a job taken before the routing table arrived waits for it instead of failing', async () => {
    const store = new RoutingTableStore({} as AmqpClient, {} as AmqpConnection, new ReadinessRegistry());
    const result = processorWith(store).process(job);
    await new Promise((resolve) => setTimeout(resolve, 20));
    store.apply(table);
    await expect(result).resolves.toBe(reply);
  });

  it('a routing table that never comes is a retryable failure, not a permanent one', async () => {
    const store = new RoutingTableStore({} as AmqpClient, {} as AmqpConnection, new ReadinessRegistry());
    jest.spyOn(store, 'loaded').mockResolvedValue(false);
    const error = encodeJobFailure(await processorWith(store).process(job).catch((e: unknown) => e), 'unless-client-error');
    expect(error).not.toBeInstanceOf(UnrecoverableError);
    expect(JSON.parse(error.message)).toMatchObject({ code: 'routing_table_not_loaded' });
  });

  it("a job whose key used its minute's tokens waits until the minute ends, spending no attempt", async () => {
    const store = new RoutingTableStore({} as AmqpClient, {} as AmqpConnection, new ReadinessRegistry());
    store.apply(table);
    const runner = { run: async () => Promise.reject(new TokensPerMinuteReached(100, 12_000)) } as unknown as AiJobRunner;
    const moveToDelayed = jest.fn().mockResolvedValue(undefined);
    const before = Date.now();
    const error = await new AiJobsProcessor(runner, store).process({ ...job, moveToDelayed } as unknown as Job<AiJobData>, 'token-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DelayedError);
    const [until, token] = moveToDelayed.mock.calls[0] as [number, string];
    expect(token).toBe('token-1');
    expect(until).toBeGreaterThanOrEqual(before + 12_000);
    expect(until).toBeLessThan(Date.now() + 12_001);
  });
});
