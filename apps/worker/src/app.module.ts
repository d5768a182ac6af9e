import { Module } from '@nestjs/common';
import { JobWorkersModule } from '@ish/jobs';
import { PlatformModule } from '@ish/platform';
import { AiJobsModule } from './ai/ai-jobs.module';
import { AdbJobsModule } from './adb/adb-jobs.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({
  imports: [PlatformModule.forRoot({ service: 'worker' }), JobWorkersModule, AiJobsModule, AdbJobsModule, WebhooksModule],
})
export class AppModule {}
