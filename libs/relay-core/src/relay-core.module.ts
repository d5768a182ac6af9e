import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConversationEntity, MessageEntity, RequestLogEntity } from '@ish/database';
import { InFlightTracker, RoutingTableModule } from '@ish/routing';
import { AiJobRunner } from './ai-job.runner';
import { ChatExecutor } from './chat-executor';
import { ConversationStore } from './conversation.store';
import { RequestLogWriter } from './request-log.writer';
import { ResponseCache } from './response-cache';

/** The AI-call path shared by relay and worker; the app lists RelayCoreConfig, InstanceKeyConfig and ProvidersConfig among its config parts. */
@Module({
  imports: [RoutingTableModule, TypeOrmModule.forFeature([RequestLogEntity, ConversationEntity, MessageEntity])],
  providers: [
    ChatExecutor,
    InFlightTracker,
    RequestLogWriter,
    ResponseCache,
    ConversationStore,
    AiJobRunner,
  ],
  exports: [ChatExecutor, RequestLogWriter, ResponseCache, ConversationStore, AiJobRunner, RoutingTableModule],
})
export class RelayCoreModule {}
