import { Module } from '@nestjs/common';
import { JobsModule } from '@ish/jobs';
import { AdbJobQueue } from './adb-job-queue';
import { ExecuteController } from './execute.controller';

@Module({ imports: [JobsModule], controllers: [ExecuteController], providers: [AdbJobQueue] })
export class ExecuteModule {}
