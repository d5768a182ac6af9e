import { Body, Controller, Get, HttpCode, Param, Post, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AndroidStatus, ConnectDeviceRequest, ConnectDeviceResult, DeviceView, Principal } from '@ish/contracts';
import { AdbExecutor } from '@ish/adb';
import { CurrentPrincipal, RequireScopes } from '@ish/platform';
import { DevicesService } from './devices.service';
import { ScreenshotLimiter } from './screenshot-limiter';
import { SerialPipe } from './serial.pipe';

@ApiTags('android')
@ApiBearerAuth()
@Controller('api/v1/android')
export class DevicesController {
  constructor(
    private readonly devices: DevicesService,
    private readonly executor: AdbExecutor,
    private readonly screenshots: ScreenshotLimiter,
  ) {}

  @Get('status')
  @RequireScopes('android:read')
  async status(): Promise<AndroidStatus> {
    return { ...(await this.devices.status()), allowedCommands: [...this.executor.policy.allowedCommands] };
  }

  @Get('devices')
  @RequireScopes('android:read')
  list(): Promise<DeviceView[]> {
    return this.devices.list();
  }

  @Post('devices/connect')
  @HttpCode(200)
  @RequireScopes('android:execute')
  connect(@Body() body: ConnectDeviceRequest): Promise<ConnectDeviceResult> {
    return this.devices.connect(body.host, body.port);
  }

  @Get('devices/:serial')
  @RequireScopes('android:read')
  get(@Param('serial', SerialPipe) serial: string): Promise<DeviceView> {
    return this.devices.get(serial);
  }

  @Post('devices/:serial/disconnect')
  @HttpCode(204)
  @RequireScopes('android:execute')
  disconnect(@Param('serial', SerialPipe) serial: string): Promise<void> {
    return this.devices.disconnect(serial);
  }

  /**
   * `screencap -p` through the same allow-list, lock and audit as `execute`; `android:execute` as a
   * screen shows what is on the phone, and rate limited per device as it holds the device lock
   */
  @Get('devices/:serial/screenshot')
  @RequireScopes('android:execute')
  @ApiProduces('image/png')
  async screenshot(@CurrentPrincipal() principal: Principal, @Param('serial', SerialPipe) serial: string): Promise<StreamableFile> {
    await this.screenshots.consume(serial);
    const png = await this.executor.screenshot(serial, { userId: principal.userId, credentialId: principal.credentialId, mode: 'sync' });
    return new StreamableFile(png, { type: 'image/png', length: png.length });
  }
}
