import { Module } from '@nestjs/common';
import { JobsModule } from '@ish/jobs';
import { UsageModule } from '@ish/usage';
import { InstancesModule } from '../instances/instances.module';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';

/** `GET /api/v1/stats`: served here, where the instances live; queue depths come straight from BullMQ. */
@Module({ imports: [InstancesModule, UsageModule, JobsModule], controllers: [StatsController], providers: [StatsService] })
export class StatsModule {}
