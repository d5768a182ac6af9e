import type { RoutingTableSnapshot } from '@ish/contracts';
import { AmqpClient, AmqpConnection, ReadinessRegistry } from '@ish/platform';
import { RoutingTableStore } from './routing-table.store';

const table: RoutingTableSnapshot = { strategy: 'least-latency', instances: [], version: 2 };
const newStore = () => new RoutingTableStore({} as AmqpClient, {} as AmqpConnection, new ReadinessRegistry());

describe('RoutingTableStore.loaded', () => {
  it('answers at once when a table is held', async () => {
    const store = newStore();
    store.apply(table);
    await expect(store.loaded(10)).resolves.toBe(true);
  });

  it('waits for the first table, and gives up after the timeout', async () => {
    const store = newStore();
    const waiting = store.loaded(5000);
    const givingUp = newStore().loaded(20);
    store.apply(table);
    await expect(waiting).resolves.toBe(true);
    await expect(givingUp).resolves.toBe(false);
  });

  it('an older table does not count as the first one arriving twice', async () => {
    const store = newStore();
    store.apply(table);
    store.apply({ ...table, version: 1 });
    expect(store.current()?.version).toBe(2);
  });
});
