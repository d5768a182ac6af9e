import { Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConversationEntity, MessageEntity, RequestLogEntity } from '@ish/database';
import { InstanceKeyConfig, RedisClient, SecretBox } from '@ish/platform';
import { ProvidersConfig } from '@ish/providers';
import { CircuitBreakerStore, InFlightTracker, RoutingTableModule } from '@ish/routing';
import { AiJobRunner } from './ai-job.runner';
import { ChatExecutor } from './chat-executor';
import { ConversationStore } from './conversation.store';
import { ProviderClients } from './provider-clients';
import { RequestLogWriter } from './request-log.writer';
import { ResponseCache } from './response-cache';
import { TokensPerMinuteLimiter } from './tokens-per-minute.limiter';

/** The AI-call path shared by relay and worker; the app lists RelayCoreConfig, InstanceKeyConfig and ProvidersConfig among its config parts. */
@Module({
  imports: [RoutingTableModule, TypeOrmModule.forFeature([RequestLogEntity, ConversationEntity, MessageEntity])],
  providers: [
    {
      provide: ProviderClients,
      inject: [InstanceKeyConfig, ProvidersConfig],
      useFactory: (instanceKey: InstanceKeyConfig, providers: ProvidersConfig) => new ProviderClients(new SecretBox(instanceKey.INSTANCE_KEY_ENCRYPTION_KEY), providers.PROVIDER_ALLOW_PRIVATE_NETWORKS),
    },
    { provide: CircuitBreakerStore, inject: [RedisClient], useFactory: (redis: RedisClient) => new CircuitBreakerStore(redis) },
    ChatExecutor,
    TokensPerMinuteLimiter,
    InFlightTracker,
    RequestLogWriter,
    ResponseCache,
    ConversationStore,
    AiJobRunner,
  ],
  exports: [ChatExecutor, RequestLogWriter, ResponseCache, ConversationStore, AiJobRunner, RoutingTableModule],
})
export class RelayCoreModule implements OnApplicationShutdown {
  constructor(
    private readonly clients: ProviderClients,
    private readonly circuits: CircuitBreakerStore,
  ) {}

  /** the stores it made for ChatExecutor: upstream connection pools, the circuit cache */
  async onApplicationShutdown(): Promise<void> {
    this.clients.close();
    await this.circuits.close();
  }
}
