import { DynamicModule, Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { PlatformConfig } from './config/platform.config';
import { DatabaseModule } from './database/database.module';
import { OpenApiRegistry } from './gateway/gateway.controller';
import { HealthController } from './health/health.controller';
import { ReadinessRegistry } from './health/readiness';
import { loggerOptions } from './logging/logging';
import { MetricsController } from './metrics/metrics.controller';
import { MessagingModule } from './rabbitmq/messaging.module';
import { RedisModule } from './redis/redis';

export interface PlatformOptions {
  /** service name: logs, metrics and queue names carry it */
  service: string;
}

/**
 * Everything a service gets the same way: JSON logs, PostgreSQL, Redis, RabbitMQ, `/health`,
 * `/health/ready` and `/metrics`, configured by PlatformConfig (bootstrapService provides the parts).
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      imports: [
        LoggerModule.forRootAsync({
          inject: [PlatformConfig],
          useFactory: (config: PlatformConfig) => loggerOptions(options.service, config),
        }),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        DatabaseModule.forRoot(),
        RedisModule,
        MessagingModule.forRoot(options.service),
      ],
      controllers: [HealthController, MetricsController],
      providers: [OpenApiRegistry, ReadinessRegistry],
      exports: [OpenApiRegistry, ReadinessRegistry],
    };
  }
}
