import { Module } from '@nestjs/common';
import { RequestLogRetention } from '@ish/usage';
import { LeadershipModule } from '../leadership/leadership.module';
import { RequestLogRetentionLoop } from './request-log-retention.loop';

@Module({ imports: [LeadershipModule], providers: [RequestLogRetention, RequestLogRetentionLoop] })
export class RetentionModule {}
