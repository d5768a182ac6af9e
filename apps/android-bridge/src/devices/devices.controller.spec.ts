import type { AdbExecutor } from '@ish/adb';
import { CommandPolicy } from '@ish/adb';
import { DevicesController } from './devices.controller';
import type { DevicesService } from './devices.service';
import type { ScreenshotLimiter } from './screenshot-limiter';

describe('DevicesController', () => {
  it('answers the status with the allow-list of commands, so a client can offer them', async () => {
    const devices = { status: async () => ({ adb: { connected: true, version: '1.0.41' }, devices: { total: 1, online: 1, unauthorized: 0, offline: 0 } }) };
    const executor = { policy: new CommandPolicy({ allowedCommands: ['getprop', 'echo'], maxArgs: 8 }) };
    const controller = new DevicesController(devices as unknown as DevicesService, executor as unknown as AdbExecutor, {} as ScreenshotLimiter);
    expect(await controller.status()).toEqual({
      adb: { connected: true, version: '1.0.41' },
      devices: { total: 1, online: 1, unauthorized: 0, offline: 0 },
      allowedCommands: ['getprop', 'echo'],
    });
  });
});
