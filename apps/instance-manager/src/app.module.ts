import { Module } from '@nestjs/common';
import { AuthGuardModule } from '@ish/auth-guard';
import { PlatformModule } from '@ish/platform';
import { InstanceManagerConfig } from './config';
import { InstancesModule } from './instances/instances.module';
import { RoutingModule } from './routing/routing.module';

@Module({
  imports: [PlatformModule.forRoot({ service: 'instance-manager', config: InstanceManagerConfig }), AuthGuardModule, RoutingModule, InstancesModule],
})
export class AppModule {}
