import 'reflect-metadata';
import { AdbConfig } from '@ish/adb';
import { JobWorkerConfig } from '@ish/jobs';
import { bootstrapService } from '@ish/platform';
import { AppModule } from './app.module';
import { WorkerConfig } from './config';

void bootstrapService(AppModule, { service: 'worker', config: WorkerConfig, configParts: [AdbConfig, JobWorkerConfig] });
