import { Module } from '@nestjs/common';
import { AdbModule } from '@ish/adb';
import { AdbJobsProcessor } from './adb-jobs.processor';

@Module({ imports: [AdbModule.forRoot()], providers: [AdbJobsProcessor] })
export class AdbJobsModule {}
