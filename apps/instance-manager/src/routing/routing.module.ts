import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InstanceEntity } from '@ish/database';
import { LiveStateModule } from '../live-state/live-state.module';
import { SettingsModule } from '../settings/settings.module';
import { RoutingPolicyController } from './routing-policy.controller';
import { RoutingPolicyService } from './routing-policy.service';
import { RoutingTableHandler } from './routing-table.handler';
import { RoutingTableService } from './routing-table.service';

@Module({
  imports: [TypeOrmModule.forFeature([InstanceEntity]), LiveStateModule, SettingsModule],
  controllers: [RoutingTableHandler, RoutingPolicyController],
  providers: [RoutingTableService, RoutingPolicyService],
  exports: [RoutingTableService],
})
export class RoutingModule {}
