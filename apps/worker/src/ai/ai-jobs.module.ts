import { Module } from '@nestjs/common';
import { RelayCoreModule } from '@ish/relay-core';
import { AiJobsProcessor } from './ai-jobs.processor';

@Module({ imports: [RelayCoreModule], providers: [AiJobsProcessor] })
export class AiJobsModule {}
