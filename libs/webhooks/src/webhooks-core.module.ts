import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WebhookAttemptEntity, WebhookDeliveryEntity, WebhookSubscriptionEntity } from '@ish/database';
import { WebhookQueue } from './webhook-queue';
import { WebhookSecrets } from './webhook-secrets';

/**
 * What both sides of webhooks need (with WebhooksConfig and InstanceKeyConfig among the app's config parts): the
 * tables, the sealed secrets and the `webhooks` queue. Auth serves subscriptions on it; the worker adds
 * WebhookFanout, WebhookDeliveryService and WebhookMetrics.
 */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookSubscriptionEntity, WebhookDeliveryEntity, WebhookAttemptEntity])],
  providers: [WebhookSecrets, WebhookQueue],
  exports: [TypeOrmModule, WebhookSecrets, WebhookQueue],
})
export class WebhooksCoreModule {}
