import { DeviceState } from '@ish/contracts';
import { countDevices, diffDeviceStates, toDeviceState } from './device-states';

describe('device states', () => {
  it('maps adb states to the three the API knows', () => {
    expect(['device', 'emulator', 'unauthorized', 'offline', 'connecting', 'authorizing', 'recovery', 'no permissions', 'unknown'].map(toDeviceState)).toEqual([
      'device',
      'device',
      'unauthorized',
      'offline',
      'offline',
      'offline',
      'offline',
      'offline',
      'offline',
    ]);
  });

  it('lists appearing, changing and vanishing devices', () => {
    const before = new Map<string, DeviceState>([
      ['a', 'device'],
      ['b', 'offline'],
      ['c', 'unauthorized'],
    ]);
    const after = new Map<string, DeviceState>([
      ['a', 'device'],
      ['b', 'device'],
      ['d', 'unauthorized'],
    ]);
    expect(diffDeviceStates(before, after)).toEqual([
      { serial: 'b', from: 'offline', to: 'device' },
      { serial: 'd', from: 'disconnected', to: 'unauthorized' },
      { serial: 'c', from: 'unauthorized', to: 'disconnected' },
    ]);
    expect(diffDeviceStates(after, after)).toEqual([]);
  });

  it('counts devices by state', () => {
    expect(countDevices(['device', 'device', 'unauthorized', 'offline'])).toEqual({ total: 4, online: 2, unauthorized: 1, offline: 1 });
    expect(countDevices([])).toEqual({ total: 0, online: 0, unauthorized: 0, offline: 0 });
  });
});
