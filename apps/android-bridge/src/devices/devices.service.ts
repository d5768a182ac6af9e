import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { AndroidStatus, ConnectDeviceResult, DeviceState, DeviceView } from '@ish/contracts';
import { AdbConfig, AdbServer, adbUnavailable, countDevices, deviceNotFound, DeviceTracker, toDeviceState } from '@ish/adb';
import { ApiError, ReadinessRegistry, withTimeout } from '@ish/platform';
import { DeviceEventsPublisher } from './device-events.publisher';
import { DevicePropertiesService } from './device-properties.service';
import { meterDevices } from './devices.metrics';

const ADB_PROBE_TIMEOUT_MS = 1500;
/** after `connect`, how long to wait for the device to leave offline/authorizing */
const CONNECT_SETTLE_MS = 5000;
const DISCONNECT_SETTLE_MS = 3000;

/**
 * The devices of the adb server: states pushed by the tracker (which also feeds
 * `device.state_changed`), properties on demand, TCP connect/disconnect, and the readiness check that
 * the adb server answers (devices or not).
 */
@Injectable()
export class DevicesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Devices');
  readonly tracker: DeviceTracker;
  private stopMetering?: () => void;

  constructor(
    private readonly client: AdbServer,
    private readonly properties: DevicePropertiesService,
    events: DeviceEventsPublisher,
    readiness: ReadinessRegistry,
    private readonly config: AdbConfig,
  ) {
    this.tracker = new DeviceTracker(client, {
      onTransitions: (transitions) => events.publish(transitions),
      onError: (error) => this.logger.warn(`device tracking: ${error.message}`),
    });
    readiness.add(() => this.adbReadiness());
  }

  onApplicationBootstrap(): void {
    this.tracker.start();
    this.stopMetering = meterDevices(this.tracker);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopMetering?.();
    await this.tracker.stop();
  }

  async status(): Promise<Omit<AndroidStatus, 'allowedCommands'>> {
    const version = await this.adbVersion().catch(() => null);
    const states = version ? await this.states().catch(() => new Map<string, DeviceState>()) : new Map<string, DeviceState>();
    return { adb: { connected: version !== null, version }, devices: countDevices(states.values()) };
  }

  async list(): Promise<DeviceView[]> {
    const states = [...(await this.states())].sort(([a], [b]) => a.localeCompare(b));
    return Promise.all(states.map(([serial, state]) => this.view(serial, state)));
  }

  async get(serial: string): Promise<DeviceView> {
    const state = (await this.states()).get(serial);
    if (!state) throw deviceNotFound(serial);
    return this.view(serial, state);
  }

  async connect(host: string, port: number): Promise<ConnectDeviceResult> {
    const serial = `${host}:${port}`;
    try {
      // adb itself waits minutes on a host that never answers: the client gets a 502 in bounded time
      await withTimeout(Promise.resolve(this.client.connect(host, port)), this.config.ANDROID_CONNECT_TIMEOUT_MS, 'adb connect');
    } catch (error) {
      const message = (error as Error).message;
      if ((error as { code?: string }).code === 'ECONNREFUSED') throw adbUnavailable(message);
      // connected, but the device has not accepted this adb server's key (yet): it shows as unauthorized
      if (!/failed to authenticate/i.test(message)) throw new ApiError(502, 'upstream_error', 'connect_failed', `adb could not connect to ${serial}: ${message}`);
    }
    await this.tracker.refresh().catch(() => undefined);
    const state = await this.tracker.waitFor(serial, (s) => s === 'device' || s === 'unauthorized', CONNECT_SETTLE_MS);
    return { serial, state: state ?? (await this.states()).get(serial) ?? 'offline' };
  }

  async disconnect(serial: string): Promise<void> {
    if (!(await this.states()).has(serial)) throw deviceNotFound(serial);
    if (!/:\d{1,5}$/.test(serial)) {
      throw ApiError.conflict(`Device ${serial} is not connected over TCP and cannot be disconnected`, 'not_a_network_device', [{ field: 'serial', message: 'not host:port' }]);
    }
    try {
      await this.client.disconnect(serial);
    } catch (error) {
      const message = (error as Error).message;
      if (/no such device/i.test(message)) throw deviceNotFound(serial);
      throw new ApiError(502, 'upstream_error', 'disconnect_failed', `adb could not disconnect ${serial}: ${message}`);
    }
    await this.tracker.refresh().catch(() => undefined);
    await this.tracker.waitFor(serial, (s) => s === undefined, DISCONNECT_SETTLE_MS);
  }

  /** the pushed list while tracking works; a direct `host:devices` while it reconnects */
  private async states(): Promise<ReadonlyMap<string, DeviceState>> {
    if (this.tracker.isLive()) return this.tracker.snapshot();
    try {
      const devices = await this.client.listDevices();
      return new Map(devices.map((d) => [d.id, toDeviceState(d.type)] as const));
    } catch (error) {
      throw adbUnavailable((error as Error).message);
    }
  }

  private async view(serial: string, state: DeviceState): Promise<DeviceView> {
    if (state !== 'device') return { serial, state, model: null, product: null, sdk: null };
    const { batteryLevel, ...fixed } = await this.properties.get(serial);
    return { serial, state, ...fixed, ...(batteryLevel !== null ? { batteryLevel } : {}) };
  }

  private async adbVersion(): Promise<string> {
    const version = await withTimeout(Promise.resolve(this.client.version()), ADB_PROBE_TIMEOUT_MS, 'adb server');
    return `1.0.${version}`;
  }

  /** the adb server answers; attached devices are not required */
  private async adbReadiness() {
    try {
      const version = await this.adbVersion();
      return { adb: { status: 'up' as const, version, devices: this.tracker.snapshot().size } };
    } catch (error) {
      return { adb: { status: 'down' as const, message: (error as Error).message } };
    }
  }
}
