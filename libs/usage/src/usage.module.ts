import { Module } from '@nestjs/common';
import { RequestLogReadModel } from './request-log.read-model';
import { RequestLogRetention } from './request-log.retention';

/** The read side of `request_logs` (and its retention) for any service that has the platform's database connection. */
@Module({ providers: [RequestLogReadModel, RequestLogRetention], exports: [RequestLogReadModel, RequestLogRetention] })
export class UsageModule {}
