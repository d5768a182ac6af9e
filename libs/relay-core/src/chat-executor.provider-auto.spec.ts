import { AmqpClient, AmqpConnection, ApiError, ReadinessRegistry } from '@ish/platform';
import { CircuitBreakerStore, InFlightTracker, RoutingTableStore } from '@ish/routing';
import type { RoutableInstance } from '@ish/contracts';
import { ChatExecutor } from './chat-executor';
import type { ProviderClients } from './provider-clients';
import { RelayCoreConfig } from './relay-core.config';
import { RequestLogWriter } from './request-log.writer';
import type { TokensPerMinuteLimiter } from './tokens-per-minute.limiter';

const instance = (providerType: RoutableInstance['providerType'], status: RoutableInstance['status']): RoutableInstance => ({
  id: '0b7e2a52-5f1e-4c55-9a4c-3c1d2e6f7a80',
  name: 'one',
  providerType,
  baseUrl: 'http://127.0.0.1:9/v1',
  models: ['m'],
  weight: 1,
  priority: 0,
  maxConcurrency: 10,
  status,
  p50LatencyMs: 0,
  timeoutMs: 1000,
  apiKeyEncrypted: null,
});

function executorWith(instances: RoutableInstance[]): ChatExecutor {
  const store = new RoutingTableStore({} as AmqpClient, {} as AmqpConnection, new ReadinessRegistry());
  store.apply({ strategy: 'least-latency', instances, version: 1 });
  const config = new RelayCoreConfig();
  return new ChatExecutor(config, store, {} as RequestLogWriter, {} as InFlightTracker, {} as ProviderClients, {} as CircuitBreakerStore, {} as TokensPerMinuteLimiter);
}

function refusal(run: () => void): ApiError | undefined {
  try {
    run();
  } catch (error) {
    return error as ApiError;
  }
  return undefined;
}

describe('ChatExecutor.assertModelKnown with provider/auto', () => {
  it('answers 404 model_not_found when no instance of the provider exists at all (found by the fuzz: it was a 503 to retry forever)', () => {
    const error = refusal(() => executorWith([instance('openai-compatible', 'healthy')]).assertModelKnown('openai/auto'));
    expect([error?.getStatus(), error?.code]).toEqual([404, 'model_not_found']);
  });

  it('lets provider/auto through when the provider has instances, healthy or not (no healthy one stays a 503 later)', () => {
    expect(refusal(() => executorWith([instance('openai', 'unhealthy')]).assertModelKnown('openai/auto'))).toBeUndefined();
    expect(refusal(() => executorWith([instance('openai', 'healthy')]).assertModelKnown('openai/auto'))).toBeUndefined();
  });

  it('keeps plain auto open whatever the table holds', () => {
    expect(refusal(() => executorWith([]).assertModelKnown('auto'))).toBeUndefined();
  });
});
