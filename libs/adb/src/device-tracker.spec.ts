import { EventEmitter } from 'node:events';
import { DeviceTransition } from './device-states';
import { DeviceListSource, DeviceTracker } from './device-tracker';

/** A fake adb server: a device list, and the track-devices connections it pushes changes on. */
class FakeAdb implements DeviceListSource {
  devices: { id: string; type: string }[] = [];
  connections: (EventEmitter & { end(): void })[] = [];
  up = true;
  async trackDevices() {
    if (!this.up) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const connection = Object.assign(new EventEmitter(), { end: () => connection.emit('end') });
    this.connections.push(connection);
    return connection;
  }
  async listDevices() {
    if (!this.up) throw new Error('connect ECONNREFUSED');
    return this.devices.map((d) => ({ ...d }));
  }
  push(devices: { id: string; type: string }[]) {
    this.devices = devices;
    this.connections.at(-1)?.emit('changeSet', {});
  }
  crash() {
    this.up = false;
    this.connections.at(-1)?.emit('error', new Error('Connection closed'));
    this.connections.at(-1)?.emit('end');
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 15));

describe('DeviceTracker', () => {
  let adb: FakeAdb;
  let seen: DeviceTransition[];
  let tracker: DeviceTracker;

  beforeEach(() => {
    adb = new FakeAdb();
    seen = [];
    tracker = new DeviceTracker(adb, { onTransitions: (t) => seen.push(...t), retryMs: 10, onError: () => undefined });
  });
  afterEach(() => tracker.stop());

  it('reports the devices present at start and every pushed change', async () => {
    adb.devices = [{ id: 'a', type: 'device' }];
    tracker.start();
    await tick();
    expect(tracker.isLive()).toBe(true);
    expect(seen).toEqual([{ serial: 'a', from: 'disconnected', to: 'device' }]);

    adb.push([
      { id: 'a', type: 'device' },
      { id: 'b', type: 'authorizing' },
    ]);
    await tick();
    adb.push([
      { id: 'a', type: 'device' },
      { id: 'b', type: 'unauthorized' },
    ]);
    await tick();
    adb.push([{ id: 'b', type: 'unauthorized' }]);
    await tick();
    expect(seen.slice(1)).toEqual([
      { serial: 'b', from: 'disconnected', to: 'offline' },
      { serial: 'b', from: 'offline', to: 'unauthorized' },
      { serial: 'a', from: 'device', to: 'disconnected' },
    ]);
    expect([...tracker.snapshot()]).toEqual([['b', 'unauthorized']]);
  });

  it('reconnects after the adb server went away and reports what changed meanwhile', async () => {
    adb.devices = [{ id: 'a', type: 'device' }];
    tracker.start();
    await tick();
    adb.crash();
    await tick();
    expect(tracker.isLive()).toBe(false);
    adb.devices = [{ id: 'c', type: 'device' }];
    adb.up = true;
    await tracker.waitFor('c', (state) => state === 'device', 1000);
    await tick();
    expect(tracker.isLive()).toBe(true);
    expect(seen.slice(1)).toEqual([
      { serial: 'c', from: 'disconnected', to: 'device' },
      { serial: 'a', from: 'device', to: 'disconnected' },
    ]);
  });

  it('waits for a state, or gives up with the current one', async () => {
    tracker.start();
    await tick();
    const settled = tracker.waitFor('x', (state) => state === 'device', 1000);
    adb.push([{ id: 'x', type: 'device' }]);
    await expect(settled).resolves.toBe('device');
    await expect(tracker.waitFor('y', (state) => state === 'device', 20)).resolves.toBeUndefined();
  });

  it('re-reads the list on demand', async () => {
    tracker.start();
    await tick();
    adb.devices = [{ id: 'z', type: 'offline' }];
    await tracker.refresh();
    expect(tracker.snapshot().get('z')).toBe('offline');
  });
});
