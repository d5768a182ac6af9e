import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { BaseConfig, loadConfig } from './config/config';
import { DatabaseModule } from './database/database.module';
import { GatewayController, OpenApiRegistry } from './gateway/gateway.controller';
import { HealthController } from './health/health.controller';
import { ReadinessRegistry } from './health/readiness';
import { loggerOptions } from './logging/logging';
import { MetricsController } from './metrics/metrics.controller';
import { MessagingModule } from './rabbitmq/messaging.module';
import { RedisModule } from './redis/redis';

export interface PlatformOptions<C extends BaseConfig> {
  /** service name: logs, metrics and queue names carry it */
  service: string;
  /** the app's config schema, a subclass of BaseConfig */
  config: new () => C;
}

/**
 * Everything a service gets the same way: validated config, JSON logs, PostgreSQL, Redis, RabbitMQ,
 * `/health`, `/health/ready`, `/metrics` and the gateway's aggregated endpoints.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot<C extends BaseConfig>(options: PlatformOptions<C>): DynamicModule {
    const configProviders: Provider[] = [
      { provide: BaseConfig, useFactory: () => loadConfig(options.config) },
      ...(options.config === (BaseConfig as unknown) ? [] : [{ provide: options.config, useExisting: BaseConfig }]),
    ];
    return {
      module: PlatformModule,
      global: true,
      imports: [
        LoggerModule.forRootAsync({
          useFactory: () => loggerOptions(options.service, loadConfig(options.config)),
        }),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        DatabaseModule.forRoot(),
        RedisModule,
        MessagingModule.forRoot(options.service),
      ],
      controllers: [HealthController, MetricsController, GatewayController],
      providers: [...configProviders, OpenApiRegistry, ReadinessRegistry],
      exports: [...configProviders.map((p) => (p as { provide: unknown }).provide as never), OpenApiRegistry, ReadinessRegistry],
    };
  }
}
