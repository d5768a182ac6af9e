import { Module } from '@nestjs/common';
import { PlatformModule } from '@ish/platform';
import { AiJobsModule } from './ai/ai-jobs.module';
import { AdbJobsModule } from './adb/adb-jobs.module';
import { ConsumersModule } from './consumers/consumers.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({
  imports: [PlatformModule.forRoot({ service: 'worker' }), ConsumersModule, AiJobsModule, AdbJobsModule, WebhooksModule],
})
export class AppModule {}
