import { Module } from '@nestjs/common';
import { RequestLogReadModel } from './request-log.read-model';

/** The read side of `request_logs` for any service that has the platform's database connection. */
@Module({ providers: [RequestLogReadModel], exports: [RequestLogReadModel] })
export class UsageModule {}
