import type { DeviceState } from '@ish/contracts';
import { metricsRegistry } from '@ish/platform';
import { meterDevices } from './devices.metrics';

async function lines(): Promise<string[]> {
  return (await metricsRegistry.metrics()).split('\n').filter((line) => line.startsWith('android_bridge_devices{'));
}

function tracker(devices: Record<string, DeviceState>, live = true) {
  return { isLive: () => live, snapshot: () => new Map(Object.entries(devices)) };
}

describe('android_bridge_devices', () => {
  it('counts the tracked devices by state, every state present', async () => {
    const stop = meterDevices(tracker({ a: 'device', b: 'offline', c: 'offline' }));
    expect(await lines()).toEqual(['android_bridge_devices{state="device"} 1', 'android_bridge_devices{state="unauthorized"} 0', 'android_bridge_devices{state="offline"} 2']);
    stop();
  });

  it('shows zeros with no device attached', async () => {
    const stop = meterDevices(tracker({}));
    expect(await lines()).toEqual(['android_bridge_devices{state="device"} 0', 'android_bridge_devices{state="unauthorized"} 0', 'android_bridge_devices{state="offline"} 0']);
    stop();
  });

  it('shows no figures while the tracker is not connected to the adb server (its list is stale)', async () => {
    const stop = meterDevices(tracker({ a: 'device' }, false));
    const exposition = await metricsRegistry.metrics();
    expect(exposition).toContain('# TYPE android_bridge_devices gauge');
    expect(await lines()).toEqual([]);
    stop();
  });

  it('reads the list at each scrape, and nothing once unmetered', async () => {
    const devices: Record<string, DeviceState> = { a: 'unauthorized' };
    const stop = meterDevices(tracker(devices));
    expect(await lines()).toContain('android_bridge_devices{state="unauthorized"} 1');
    devices.a = 'device';
    expect(await lines()).toContain('android_bridge_devices{state="unauthorized"} 0');
    stop();
    expect(await lines()).toEqual([]);
  });
});
