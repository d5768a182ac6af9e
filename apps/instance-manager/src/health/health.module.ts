import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InstanceEntity } from '@ish/database';
import { RedisClient } from '@ish/platform';
import { ProbeCircuit } from '@ish/routing';
import { InstanceManagerConfig } from '../config';
import { LeadershipModule } from '../leadership/leadership.module';
import { LiveStateModule } from '../live-state/live-state.module';
import { RoutingModule } from '../routing/routing.module';
import { StatusModule } from '../status/status.module';
import { HealthCheckNowService } from './health-check-now.service';
import { HealthCheckController } from './health-check.controller';
import { HealthCheckService } from './health-check.service';
import { HealthProbeLoop } from './health-probe.loop';
import { InstanceProber } from './instance-prober';
import { ProbeFailures } from './probe-failures';

@Module({
  imports: [TypeOrmModule.forFeature([InstanceEntity]), LeadershipModule, LiveStateModule, RoutingModule, StatusModule],
  controllers: [HealthCheckController],
  providers: [
    InstanceProber,
    ProbeFailures,
    HealthCheckService,
    HealthCheckNowService,
    HealthProbeLoop,
    {
      provide: ProbeCircuit,
      inject: [RedisClient, InstanceManagerConfig],
      useFactory: (redis: RedisClient, config: InstanceManagerConfig) => new ProbeCircuit(redis, { failureThreshold: config.HEALTH_UNHEALTHY_AFTER_FAILURES }),
    },
  ],
  exports: [HealthCheckService],
})
export class HealthModule {}
