import { Module } from '@nestjs/common';
import { RelayCoreModule } from '@ish/relay-core';
import { ConsumersModule } from '../consumers/consumers.module';
import { AiJobsProcessor } from './ai-jobs.processor';

@Module({ imports: [RelayCoreModule, ConsumersModule], providers: [AiJobsProcessor] })
export class AiJobsModule {}
