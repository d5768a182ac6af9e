import { Module } from '@nestjs/common';
import { AdbJobQueue } from './adb-job-queue';
import { ExecuteController } from './execute.controller';

@Module({ controllers: [ExecuteController], providers: [AdbJobQueue] })
export class ExecuteModule {}
