import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConversationEntity, MessageEntity, RequestLogEntity } from '@ish/database';
import { BaseConfig } from '@ish/platform';
import { InFlightTracker, RoutingTableModule } from '@ish/routing';
import { AiJobRunner } from './ai-job.runner';
import { ChatExecutor } from './chat-executor';
import { ConversationStore } from './conversation.store';
import { RelayCoreConfig } from './relay-core.config';
import { RequestLogWriter } from './request-log.writer';
import { ResponseCache } from './response-cache';

/** The AI-call path shared by relay and worker. The app's config class must extend RelayCoreConfig. */
@Module({
  imports: [RoutingTableModule, TypeOrmModule.forFeature([RequestLogEntity, ConversationEntity, MessageEntity])],
  providers: [
    { provide: RelayCoreConfig, useExisting: BaseConfig },
    ChatExecutor,
    InFlightTracker,
    RequestLogWriter,
    ResponseCache,
    ConversationStore,
    AiJobRunner,
  ],
  exports: [RelayCoreConfig, ChatExecutor, RequestLogWriter, ResponseCache, ConversationStore, AiJobRunner, RoutingTableModule],
})
export class RelayCoreModule {}
