import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InstanceEntity, ScalingEventEntity } from '@ish/database';
import { HealthModule } from '../health/health.module';
import { LeadershipModule } from '../leadership/leadership.module';
import { LiveStateModule } from '../live-state/live-state.module';
import { RoutingModule } from '../routing/routing.module';
import { SettingsModule } from '../settings/settings.module';
import { StatusModule } from '../status/status.module';
import { ScalingEventsService } from './scaling-events.service';
import { ScalingPolicyService } from './scaling-policy.service';
import { ScalingController } from './scaling.controller';
import { ScalingLoop } from './scaling.loop';

@Module({
  imports: [TypeOrmModule.forFeature([InstanceEntity, ScalingEventEntity]), SettingsModule, LeadershipModule, LiveStateModule, RoutingModule, StatusModule, HealthModule],
  controllers: [ScalingController],
  providers: [ScalingPolicyService, ScalingEventsService, ScalingLoop],
})
export class ScalingModule {}
