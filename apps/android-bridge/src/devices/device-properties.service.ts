import { Injectable } from '@nestjs/common';
import { AdbExecutor, parseBatteryLevel, parseGetprop, StaticDeviceProperties, staticDeviceProperties } from '@ish/adb';

export interface DeviceProperties extends StaticDeviceProperties {
  batteryLevel: number | null;
}

/** model, product and SDK never change while a device stays attached; the battery does */
export const BATTERY_TTL_MS = 30_000;
/** a busy device answers the listing with what is known rather than hold it up */
const READ_OPTIONS = { timeoutMs: 5000, lockWaitMs: 2000 };
const UNKNOWN: StaticDeviceProperties = { model: null, product: null, sdk: null };

/**
 * What `GET /devices` shows of an online device: `getprop` once per attachment, `dumpsys battery`
 * at most every 30 s, both through the executor (so they take the device lock like any command).
 * A device that cannot answer shows nulls; nothing is cached from a failed read.
 */
@Injectable()
export class DevicePropertiesService {
  private readonly fixed = new Map<string, StaticDeviceProperties>();
  private readonly battery = new Map<string, { level: number | null; readAt: number }>();
  private readonly loading = new Map<string, Promise<DeviceProperties>>();

  constructor(private readonly executor: AdbExecutor) {}

  get(serial: string): Promise<DeviceProperties> {
    const pending = this.loading.get(serial);
    if (pending) return pending;
    const loading = this.load(serial).finally(() => this.loading.delete(serial));
    this.loading.set(serial, loading);
    return loading;
  }

  cached(serial: string): StaticDeviceProperties | undefined {
    return this.fixed.get(serial);
  }

  /** the device left or changed state: read everything again next time */
  forget(serial: string): void {
    this.fixed.delete(serial);
    this.battery.delete(serial);
  }

  private async load(serial: string): Promise<DeviceProperties> {
    let fixed = this.fixed.get(serial);
    if (!fixed) {
      const props = await this.executor.readText(serial, 'getprop', [], READ_OPTIONS).catch(() => undefined);
      if (props?.exitCode === 0) {
        fixed = staticDeviceProperties(parseGetprop(props.stdout));
        this.fixed.set(serial, fixed);
      }
    }
    let battery = this.battery.get(serial);
    if (!battery || Date.now() - battery.readAt > BATTERY_TTL_MS) {
      const dumpsys = await this.executor.readText(serial, 'dumpsys', ['battery'], READ_OPTIONS).catch(() => undefined);
      if (dumpsys) {
        battery = { level: parseBatteryLevel(dumpsys.stdout), readAt: Date.now() };
        this.battery.set(serial, battery);
      }
    }
    return { ...(fixed ?? UNKNOWN), batteryLevel: battery?.level ?? null };
  }
}
