import { Module } from '@nestjs/common';
import type { BodyLimit } from '@ish/platform';
import { WebhooksCoreModule } from '../webhooks-core.module';
import { WebhooksController } from './webhooks.controller';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';

/**
 * `/api/v1/webhooks`: subscriptions and their deliveries, mounted by the relay (beside `/api/v1/events`, the
 * same events pulled); the worker fans events out and delivers.
 */
@Module({ imports: [WebhooksCoreModule], controllers: [WebhooksController], providers: [WebhookSubscriptionsService] })
export class WebhookSubscriptionsModule {}

/** subscription bodies are small: past 64 KiB a 413, whatever the mounting app allows its own routes */
export const WEBHOOKS_BODY_LIMIT: BodyLimit = { paths: ['/api/v1/webhooks'], limit: () => '64kb' };
