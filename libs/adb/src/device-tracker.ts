import type { DeviceState } from '@ish/contracts';
import type { AdbServer } from './adb-server';
import { DeviceTransition, diffDeviceStates, toDeviceState } from './device-states';

/** The part of the adb server the tracker uses: `host:track-devices` and `host:devices`. */
export type DeviceListSource = Pick<AdbServer, 'trackDevices' | 'listDevices'>;

export interface DeviceTrackerOptions {
  onTransitions: (transitions: DeviceTransition[]) => void;
  onError?: (error: Error) => void;
  /** pause before reconnecting to an adb server that went away */
  retryMs?: number;
}

/**
 * Follows the adb server's devices as they change. adb pushes every change over `host:track-devices`
 * (adbkit's trackDevices); each push re-reads the whole list (`host:devices`, answered from the
 * server's memory) and diffs it with the last one, so a coalesced push or one that arrived before
 * the listener cannot lose a change. When the adb server goes away the tracker reconnects; the first
 * list after that is diffed with the last known one, so what changed meanwhile is still reported.
 */
export class DeviceTracker {
  private devices = new Map<string, DeviceState>();
  private live = false;
  private stopped = true;
  private loop: Promise<void> = Promise.resolve();
  private current: { end(): unknown } | undefined;
  private refreshing: Promise<void> | undefined;
  private dirty = false;
  private wake: (() => void) | undefined;
  private readonly watchers = new Set<() => void>();

  constructor(
    private readonly source: DeviceListSource,
    private readonly options: DeviceTrackerOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.end();
    this.wake?.();
    await this.loop;
  }

  /** true while connected to the adb server with a current list */
  isLive(): boolean {
    return this.live;
  }

  /** the last list seen (stale while not live) */
  snapshot(): ReadonlyMap<string, DeviceState> {
    return this.devices;
  }

  /** Waits until `until` holds for the device's state (undefined: not listed), at most `timeoutMs`. */
  waitFor(serial: string, until: (state: DeviceState | undefined) => boolean, timeoutMs: number): Promise<DeviceState | undefined> {
    if (until(this.devices.get(serial))) return Promise.resolve(this.devices.get(serial));
    return new Promise((resolve) => {
      const done = (): void => {
        this.watchers.delete(check);
        clearTimeout(timer);
        resolve(this.devices.get(serial));
      };
      const check = (): void => {
        if (until(this.devices.get(serial))) done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.watchers.add(check);
    });
  }

  /** Re-reads the list now (after connect/disconnect, not to wait for adb's push). */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.dirty = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      try {
        do {
          this.dirty = false;
          this.apply(await this.source.listDevices());
        } while (this.dirty);
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const tracker = await this.source.trackDevices();
        this.current = tracker;
        const ended = new Promise<void>((resolve) => {
          tracker.once('end', resolve);
          tracker.on('error', (error: Error) => {
            this.options.onError?.(error);
            resolve();
          });
        });
        tracker.on('changeSet', () => this.refresh().catch((error: Error) => this.options.onError?.(error)));
        if (this.stopped) tracker.end();
        else {
          await this.refresh();
          this.setLive(true);
        }
        await ended;
      } catch (error) {
        this.options.onError?.(error as Error);
        this.current?.end();
      }
      this.current = undefined;
      this.setLive(false);
      if (!this.stopped) await this.pause(this.options.retryMs ?? 1000);
    }
  }

  private apply(list: { id: string; type: string }[]): void {
    const next = new Map(list.map((device) => [device.id, toDeviceState(device.type)] as const));
    const transitions = diffDeviceStates(this.devices, next);
    this.devices = next;
    for (const check of [...this.watchers]) check();
    if (transitions.length > 0) this.options.onTransitions(transitions);
  }

  private setLive(live: boolean): void {
    this.live = live;
    for (const check of [...this.watchers]) check();
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
