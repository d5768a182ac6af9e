import { AmqpClient, AmqpConnection, ApiError, ReadinessRegistry } from '@ish/platform';
import { CircuitBreakerStore, InFlightTracker, RoutingTableStore } from '@ish/routing';
import { ChatExecutor } from './chat-executor';
import type { ProviderClients } from './provider-clients';
import { RelayCoreConfig } from './relay-core.config';
import { RequestLogWriter } from './request-log.writer';
import type { TokensPerMinuteLimiter } from './tokens-per-minute.limiter';

function executor() {
  const store = new RoutingTableStore({} as AmqpClient, {} as AmqpConnection, new ReadinessRegistry());
  const config = new RelayCoreConfig();
  return { store, executor: new ChatExecutor(config, store, {} as RequestLogWriter, {} as InFlightTracker, {} as ProviderClients, {} as CircuitBreakerStore, {} as TokensPerMinuteLimiter) };
}

const refusal = (run: () => void) => {
  try {
    run();
  } catch (error) {
    return error as ApiError;
  }
  return undefined;
};

describe('ChatExecutor.assertModelKnown', () => {
  it('answers 503 while the routing table has not arrived: the model may well exist', () => {
    const { executor: chat } = executor();
    expect(refusal(() => chat.assertModelKnown('gpt-4o'))).toMatchObject({ code: 'routing_table_not_loaded', type: 'api_error' });
    expect(refusal(() => chat.assertModelKnown('gpt-4o'))?.getStatus()).toBe(503);
  });

  it('answers 404 model_not_found once the table is held and no instance serves the model', () => {
    const { executor: chat, store } = executor();
    store.apply({ strategy: 'least-latency', instances: [], version: 1 });
    const error = refusal(() => chat.assertModelKnown('gpt-4o'));
    expect(error?.getStatus()).toBe(404);
    expect(error?.code).toBe('model_not_found');
    expect(refusal(() => chat.assertModelKnown('auto'))).toBeUndefined();
  });

  it('knows an alias when one of its models is served, and not otherwise', () => {
    const { executor: chat, store } = executor();
    const instance = { id: 'i', name: 'i', providerType: 'openai' as const, baseUrl: 'http://i.test/v1', models: ['gpt-4o-mini'], weight: 1, priority: 0, maxConcurrency: 1, status: 'healthy' as const, p50LatencyMs: 0, timeoutMs: 1000, apiKeyEncrypted: null };
    store.apply({ strategy: 'least-latency', instances: [instance], version: 1, aliases: { fast: ['gpt-4o', 'gpt-4o-mini'], gone: ['claude-sonnet-4'] } });
    expect(refusal(() => chat.assertModelKnown('fast'))).toBeUndefined();
    expect(refusal(() => chat.assertModelKnown('gone'))?.getStatus()).toBe(404);
    expect(refusal(() => chat.assertModelKnown('gpt-4o'))?.getStatus()).toBe(404);
  });
});
