import { EventEmitter } from 'node:events';
import type { AdbConfig, AdbServer } from '@ish/adb';
import { ApiError, ReadinessRegistry } from '@ish/platform';
import type { DeviceEventsPublisher } from './device-events.publisher';
import type { DevicePropertiesService } from './device-properties.service';
import { DevicesService } from './devices.service';

class FakeAdbServer {
  devices: { id: string; type: string }[] = [];
  up = true;
  connectReply: (host: string, port: number) => Promise<string> = async (host, port) => {
    this.devices.push({ id: `${host}:${port}`, type: 'device' });
    return `${host}:${port}`;
  };
  async version() {
    if (!this.up) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    return 41;
  }
  async listDevices() {
    if (!this.up) throw new Error('connect ECONNREFUSED');
    return this.devices;
  }
  async trackDevices() {
    return Object.assign(new EventEmitter(), { end: () => undefined });
  }
  connect(host: string, port: number) {
    return this.connectReply(host, port);
  }
  async disconnect(serial: string) {
    this.devices = this.devices.filter((d) => d.id !== serial);
    return serial;
  }
  getDevice() {
    throw new Error('no shells here');
  }
}

function setup() {
  const adb = new FakeAdbServer();
  const readiness = new ReadinessRegistry();
  const properties = { get: async () => ({ model: 'Pixel', product: 'sim', sdk: 34, batteryLevel: 87 }) } as unknown as DevicePropertiesService;
  const events = { publish: () => undefined } as unknown as DeviceEventsPublisher;
  const config = { ANDROID_CONNECT_TIMEOUT_MS: 50 } as AdbConfig;
  const service = new DevicesService(adb as unknown as AdbServer, properties, events, readiness, config);
  return { adb, readiness, service };
}

describe('DevicesService', () => {
  it('lists devices with properties for online ones only', async () => {
    const { adb, service } = setup();
    adb.devices = [
      { id: 'b:2', type: 'unauthorized' },
      { id: 'a:1', type: 'device' },
    ];
    expect(await service.list()).toEqual([
      { serial: 'a:1', state: 'device', model: 'Pixel', product: 'sim', sdk: 34, batteryLevel: 87 },
      { serial: 'b:2', state: 'unauthorized', model: null, product: null, sdk: null },
    ]);
    await expect(service.get('zz')).rejects.toMatchObject({ code: 'device_not_found' });
  });

  it('reports status, and an unreachable adb server as not connected', async () => {
    const { adb, service } = setup();
    adb.devices = [
      { id: 'a', type: 'device' },
      { id: 'b', type: 'offline' },
    ];
    expect(await service.status()).toEqual({ adb: { connected: true, version: '1.0.41' }, devices: { total: 2, online: 1, unauthorized: 0, offline: 1 } });
    adb.up = false;
    expect(await service.status()).toEqual({ adb: { connected: false, version: null }, devices: { total: 0, online: 0, unauthorized: 0, offline: 0 } });
    await expect(service.list()).rejects.toMatchObject({ code: 'adb_unavailable' });
  });

  it('is ready with no devices attached, and not ready without an adb server', async () => {
    const { adb, readiness } = setup();
    expect(await readiness.checks[0]()).toEqual({ adb: { status: 'up', version: '1.0.41', devices: 0 } });
    adb.up = false;
    expect(await readiness.checks[0]()).toMatchObject({ adb: { status: 'down' } });
  });

  it('connects a TCP device, and reads a refused key as unauthorized', async () => {
    const { adb, service } = setup();
    await expect(service.connect('127.0.0.1', 6101)).resolves.toEqual({ serial: '127.0.0.1:6101', state: 'device' });
    adb.connectReply = async (host, port) => {
      adb.devices.push({ id: `${host}:${port}`, type: 'unauthorized' });
      throw new Error(`failed to authenticate to ${host}:${port}`);
    };
    await expect(service.connect('127.0.0.1', 6102)).resolves.toEqual({ serial: '127.0.0.1:6102', state: 'unauthorized' });
    adb.connectReply = async () => {
      throw new Error("failed to connect to '127.0.0.1:6103': Connection refused");
    };
    const error = await service.connect('127.0.0.1', 6103).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect([(error as ApiError).getStatus(), (error as ApiError).code]).toEqual([502, 'connect_failed']);
  });

  it('answers 502 connect_failed when adb does not answer a connect in time (an unroutable host)', async () => {
    const { adb, service } = setup();
    adb.connectReply = () => new Promise<string>(() => undefined);
    const error = await service.connect('0x1F', 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect([(error as ApiError).getStatus(), (error as ApiError).code]).toEqual([502, 'connect_failed']);
    expect((error as ApiError).message).toMatch(/0x1F:1.*did not answer within 50 ms/);
  });

  it('disconnects TCP devices only', async () => {
    const { adb, service } = setup();
    adb.devices = [
      { id: '127.0.0.1:6101', type: 'device' },
      { id: 'R58M123', type: 'device' },
    ];
    await service.disconnect('127.0.0.1:6101');
    expect(adb.devices.map((d) => d.id)).toEqual(['R58M123']);
    await expect(service.disconnect('R58M123')).rejects.toMatchObject({ code: 'not_a_network_device' });
    await expect(service.disconnect('127.0.0.1:9')).rejects.toMatchObject({ code: 'device_not_found' });
  });
});
