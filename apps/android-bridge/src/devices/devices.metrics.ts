import { DEVICE_STATES } from '@ish/contracts';
import type { DeviceTracker } from '@ish/adb';
import { defineGauge } from '@ish/platform';

/** The part of the tracker the gauge reads: its list, held in memory, so a scrape does no I/O. */
export type TrackedDevices = Pick<DeviceTracker, 'isLive' | 'snapshot'>;

let tracked: TrackedDevices | undefined;

export const devicesGauge = defineGauge({
  name: 'android_bridge_devices',
  help: 'Devices of the adb server by state (device | unauthorized | offline), from the tracked list; absent while the bridge is not tracking the adb server',
  labelNames: ['state'] as const,
  collect() {
    this.reset();
    // a list kept from before the adb server went away is stale: no figures rather than wrong ones
    if (!tracked?.isLive()) return;
    for (const state of DEVICE_STATES) this.set({ state }, 0);
    for (const state of tracked.snapshot().values()) this.inc({ state });
  },
});

/** Exports the tracker's devices in `android_bridge_devices` from now on; the returned function stops it. */
export function meterDevices(tracker: TrackedDevices): () => void {
  tracked = tracker;
  return () => {
    if (tracked === tracker) tracked = undefined;
  };
}
