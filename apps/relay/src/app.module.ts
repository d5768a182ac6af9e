import { Module } from '@nestjs/common';
import { AuthGuardModule } from '@ish/auth-guard';
import { JobsModule } from '@ish/jobs';
import { GatewayModule, PlatformModule } from '@ish/platform';
import { RelayCoreModule } from '@ish/relay-core';
import { WebhookSubscriptionsModule } from '@ish/webhooks';
import { CompletionsController } from './chat/completions.controller';
import { EmbeddingsController } from './chat/embeddings.controller';
import { IdempotencyStore } from './chat/idempotency.store';
import { RelayController } from './chat/relay.controller';
import { RelayService } from './chat/relay.service';
import { ConversationsController } from './conversations/conversations.controller';
import { DomainEventsListener } from './events/domain-events.listener';
import { EventHub } from './events/event-hub';
import { EventsController } from './events/events.controller';
import { JobsController } from './jobs/jobs.controller';
import { MessagesController } from './messages/messages.controller';
import { MessagesService } from './messages/messages.service';
import { ModelAccess } from './models/model-access';
import { ModelsController } from './models/models.controller';

@Module({
  imports: [PlatformModule.forRoot({ service: 'relay' }), GatewayModule, AuthGuardModule, RelayCoreModule, JobsModule, WebhookSubscriptionsModule],
  controllers: [RelayController, CompletionsController, ModelsController, JobsController, ConversationsController, EventsController, DomainEventsListener, EmbeddingsController, MessagesController],
  providers: [IdempotencyStore, RelayService, EventHub, MessagesService, ModelAccess],
})
export class AppModule {}
