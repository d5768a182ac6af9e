import { Module } from '@nestjs/common';
import { AuthGuardModule } from '@ish/auth-guard';
import { GatewayModule, PlatformModule } from '@ish/platform';
import { HealthModule } from './health/health.module';
import { InstancesModule } from './instances/instances.module';
import { RetentionModule } from './retention/retention.module';
import { RoutingModule } from './routing/routing.module';
import { ScalingModule } from './scaling/scaling.module';
import { StatsModule } from './stats/stats.module';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'instance-manager' }),
    GatewayModule,
    AuthGuardModule,
    RoutingModule,
    HealthModule,
    // routes register in module order: /instances/scaling must come before InstancesModule's /instances/:id
    ScalingModule,
    InstancesModule,
    StatsModule,
    RetentionModule,
  ],
})
export class AppModule {}
