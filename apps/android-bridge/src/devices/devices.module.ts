import { Module } from '@nestjs/common';
import { DeviceEventsPublisher } from './device-events.publisher';
import { DevicePropertiesService } from './device-properties.service';
import { DevicesController } from './devices.controller';
import { DevicesService } from './devices.service';

@Module({
  controllers: [DevicesController],
  providers: [DevicesService, DevicePropertiesService, DeviceEventsPublisher],
})
export class DevicesModule {}
