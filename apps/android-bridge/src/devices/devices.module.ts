import { Module } from '@nestjs/common';
import { DeviceEventsPublisher } from './device-events.publisher';
import { DevicePropertiesService } from './device-properties.service';
import { DevicesController } from './devices.controller';
import { DevicesService } from './devices.service';
import { ScreenshotLimiter } from './screenshot-limiter';

@Module({
  controllers: [DevicesController],
  providers: [DevicesService, DevicePropertiesService, DeviceEventsPublisher, ScreenshotLimiter],
})
export class DevicesModule {}
