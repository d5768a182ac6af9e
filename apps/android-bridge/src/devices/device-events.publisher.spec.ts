import type { DeviceStateChanged } from '@ish/contracts';
import type { AmqpClient, RedisClient } from '@ish/platform';
import { DeviceEventsPublisher } from './device-events.publisher';
import type { DevicePropertiesService } from './device-properties.service';

/** Redis with just enough of EVAL for the claim script: a shared map of last announced states. */
function fakeRedis(store: Map<string, string>, broken = false) {
  return {
    eval: async (_script: string, _keys: number, key: string, to: string) => {
      if (broken) throw new Error('ECONNREFUSED');
      const previous = store.get(key) ?? 'disconnected';
      if (previous === to) return null;
      if (to === 'disconnected') store.delete(key);
      else store.set(key, to);
      return previous;
    },
  } as unknown as RedisClient;
}

function setup(store = new Map<string, string>(), broken = false) {
  const published: DeviceStateChanged[] = [];
  const amqp = { publishEvent: async (_name: string, event: DeviceStateChanged) => void published.push(event) } as unknown as AmqpClient;
  const forgotten: string[] = [];
  const properties = {
    get: async () => ({ model: 'ISH Sim Pixel', product: 'ish_sim', sdk: 34, batteryLevel: 87 }),
    cached: () => ({ model: 'ISH Sim Pixel', product: 'ish_sim', sdk: 34 }),
    forget: (serial: string) => forgotten.push(serial),
  } as unknown as DevicePropertiesService;
  return { publisher: new DeviceEventsPublisher(amqp, fakeRedis(store, broken), properties), published, forgotten };
}

describe('DeviceEventsPublisher', () => {
  it('announces each change in order, with the model', async () => {
    const { publisher, published, forgotten } = setup();
    publisher.publish([
      { serial: 's1', from: 'disconnected', to: 'offline' },
      { serial: 's1', from: 'offline', to: 'device' },
    ]);
    publisher.publish([{ serial: 's1', from: 'device', to: 'disconnected' }]);
    await publisher.flush();
    expect(published).toEqual([
      { serial: 's1', from: 'disconnected', to: 'offline', model: 'ISH Sim Pixel' },
      { serial: 's1', from: 'offline', to: 'device', model: 'ISH Sim Pixel' },
      { serial: 's1', from: 'device', to: 'disconnected', model: 'ISH Sim Pixel' },
    ]);
    expect(forgotten).toEqual(['s1', 's1']);
  });

  it('announces a change once across replicas sharing Redis', async () => {
    const store = new Map<string, string>();
    const a = setup(store);
    const b = setup(store);
    const change = { serial: 's2', from: 'disconnected' as const, to: 'device' as const };
    a.publisher.publish([change]);
    await a.publisher.flush();
    b.publisher.publish([change]);
    await b.publisher.flush();
    expect(a.published).toHaveLength(1);
    expect(b.published).toHaveLength(0);
  });

  it('takes the previous state from Redis, so a restarted bridge reports what it missed', async () => {
    const { publisher, published } = setup(new Map([['adb:device-state:s3', 'unauthorized']]));
    publisher.publish([{ serial: 's3', from: 'disconnected', to: 'device' }]);
    await publisher.flush();
    expect(published).toEqual([{ serial: 's3', from: 'unauthorized', to: 'device', model: 'ISH Sim Pixel' }]);
  });

  it('still announces when Redis is away', async () => {
    const { publisher, published } = setup(new Map(), true);
    publisher.publish([{ serial: 's4', from: 'disconnected', to: 'unauthorized' }]);
    await publisher.flush();
    expect(published).toEqual([{ serial: 's4', from: 'disconnected', to: 'unauthorized', model: 'ISH Sim Pixel' }]);
  });
});
