import { Module } from '@nestjs/common';
import { RequestLogReadModel } from './request-log.read-model';

/**
 * The read side of `request_logs` for any service that has the platform's database connection.
 * Its retention (RequestLogRetention, which needs UsageConfig) is provided only where it runs: the
 * instance-manager's leader.
 */
@Module({ providers: [RequestLogReadModel], exports: [RequestLogReadModel] })
export class UsageModule {}
