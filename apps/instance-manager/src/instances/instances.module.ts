import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InstanceEntity } from '@ish/database';
import { RoutingModule } from '../routing/routing.module';
import { InstanceLiveState } from './instance-live-state';
import { InstancesController } from './instances.controller';
import { InstancesService } from './instances.service';

@Module({
  imports: [TypeOrmModule.forFeature([InstanceEntity]), RoutingModule],
  controllers: [InstancesController],
  providers: [InstancesService, InstanceLiveState],
})
export class InstancesModule {}
