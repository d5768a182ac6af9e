import { randomBytes } from 'node:crypto';
import { AmqpClient, AmqpConnection, ApiError, InstanceKeyConfig, ReadinessRegistry, RedisClient } from '@ish/platform';
import { ProvidersConfig } from '@ish/providers';
import { InFlightTracker, RoutingTableStore } from '@ish/routing';
import { ChatExecutor } from './chat-executor';
import { RelayCoreConfig } from './relay-core.config';
import { RequestLogWriter } from './request-log.writer';

function executor() {
  const store = new RoutingTableStore({} as AmqpClient, {} as AmqpConnection, new ReadinessRegistry());
  const instanceKey = Object.assign(new InstanceKeyConfig(), { INSTANCE_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
  return { store, executor: new ChatExecutor(new RelayCoreConfig(), instanceKey, new ProvidersConfig(), store, {} as RequestLogWriter, {} as InFlightTracker, {} as RedisClient) };
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
});
