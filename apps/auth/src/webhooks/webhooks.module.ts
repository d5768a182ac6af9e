import { Module } from '@nestjs/common';
import { WebhooksCoreModule } from '@ish/webhooks';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** `/api/v1/webhooks`: subscriptions and their deliveries; the worker delivers. */
@Module({ imports: [WebhooksCoreModule], controllers: [WebhooksController], providers: [WebhooksService] })
export class WebhooksModule {}
