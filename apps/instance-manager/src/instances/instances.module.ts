import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InstanceEntity } from '@ish/database';
import { HealthModule } from '../health/health.module';
import { LiveStateModule } from '../live-state/live-state.module';
import { RoutingModule } from '../routing/routing.module';
import { StatusModule } from '../status/status.module';
import { InstanceLiveState } from './instance-live-state';
import { InstancesController } from './instances.controller';
import { InstancesService } from './instances.service';

@Module({
  imports: [TypeOrmModule.forFeature([InstanceEntity]), RoutingModule, LiveStateModule, StatusModule, HealthModule],
  controllers: [InstancesController],
  providers: [InstancesService, InstanceLiveState],
  exports: [InstancesService],
})
export class InstancesModule {}
