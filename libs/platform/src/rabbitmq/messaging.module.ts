import { DynamicModule, Global, Module } from '@nestjs/common';
import { PlatformConfig } from '../config/platform.config';
import { AmqpClient } from './amqp-client';
import { AmqpConnection } from './amqp-connection';
import { AmqpServer } from './amqp-server';

/** RabbitMQ for a service: one connection, a client for requests and events, a server for handlers. */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(service: string): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: AmqpConnection, inject: [PlatformConfig], useFactory: (config: PlatformConfig) => new AmqpConnection(config.RABBITMQ_URL) },
        {
          provide: AmqpClient,
          inject: [AmqpConnection, PlatformConfig],
          useFactory: (connection: AmqpConnection, config: PlatformConfig) => new AmqpClient(connection, config.RABBITMQ_RPC_TIMEOUT_MS),
        },
        {
          provide: AmqpServer,
          inject: [AmqpConnection, PlatformConfig],
          useFactory: (connection: AmqpConnection, config: PlatformConfig) =>
            new AmqpServer(connection, { service, prefetch: config.RABBITMQ_PREFETCH, deliveryLimit: config.RABBITMQ_DELIVERY_LIMIT }),
        },
      ],
      exports: [AmqpConnection, AmqpClient, AmqpServer],
    };
  }
}
