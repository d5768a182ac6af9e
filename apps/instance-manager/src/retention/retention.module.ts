import { Module } from '@nestjs/common';
import { UsageModule } from '@ish/usage';
import { LeadershipModule } from '../leadership/leadership.module';
import { RequestLogRetentionLoop } from './request-log-retention.loop';

@Module({ imports: [UsageModule, LeadershipModule], providers: [RequestLogRetentionLoop] })
export class RetentionModule {}
