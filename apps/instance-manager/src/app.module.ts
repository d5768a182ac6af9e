import { Module } from '@nestjs/common';
import { PlatformModule } from '@ish/platform';
import { InstanceManagerConfig } from './config';
import { RoutingModule } from './routing/routing.module';

@Module({
  imports: [PlatformModule.forRoot({ service: 'instance-manager', config: InstanceManagerConfig }), RoutingModule],
})
export class AppModule {}
