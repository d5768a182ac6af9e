import { Module } from '@nestjs/common';
import { AdbModule } from '@ish/adb';
import { ConsumersModule } from '../consumers/consumers.module';
import { AdbJobsProcessor } from './adb-jobs.processor';

@Module({ imports: [AdbModule.forRoot(), ConsumersModule], providers: [AdbJobsProcessor] })
export class AdbJobsModule {}
