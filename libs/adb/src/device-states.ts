import type { DeviceEventState, DeviceState } from '@ish/contracts';

/**
 * adb's connection states as the API shows them: `device` (and `emulator` from older servers) is
 * usable, `unauthorized` waits for the user's "Allow", everything else (offline, connecting,
 * authorizing, recovery, bootloader, no permissions …) cannot take commands and reads `offline`.
 */
export function toDeviceState(adbState: string): DeviceState {
  if (adbState === 'device' || adbState === 'emulator') return 'device';
  if (adbState === 'unauthorized') return 'unauthorized';
  return 'offline';
}

export interface DeviceTransition {
  serial: string;
  from: DeviceEventState;
  to: DeviceEventState;
}

/** Every device whose state differs between two listings; a missing device is `disconnected`. */
export function diffDeviceStates(previous: ReadonlyMap<string, DeviceState>, next: ReadonlyMap<string, DeviceState>): DeviceTransition[] {
  const transitions: DeviceTransition[] = [];
  for (const [serial, to] of next) {
    const from = previous.get(serial) ?? 'disconnected';
    if (from !== to) transitions.push({ serial, from, to });
  }
  for (const [serial, from] of previous) {
    if (!next.has(serial)) transitions.push({ serial, from, to: 'disconnected' });
  }
  return transitions;
}

export interface DeviceCounts {
  total: number;
  online: number;
  unauthorized: number;
  offline: number;
}

export function countDevices(states: Iterable<DeviceState>): DeviceCounts {
  const counts: DeviceCounts = { total: 0, online: 0, unauthorized: 0, offline: 0 };
  for (const state of states) {
    counts.total++;
    if (state === 'device') counts.online++;
    else if (state === 'unauthorized') counts.unauthorized++;
    else counts.offline++;
  }
  return counts;
}
