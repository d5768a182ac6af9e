import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WebhookAttemptEntity, WebhookDeliveryEntity, WebhookSubscriptionEntity } from '@ish/database';
import { JobsModule } from '@ish/jobs';
import { loadConfig } from '@ish/platform';
import { WebhookQueue } from './webhook-queue';
import { WebhookSecrets } from './webhook-secrets';
import { WebhooksConfig } from './webhooks.config';

/**
 * What both sides of webhooks need: their settings (validated at start, naming the variable), the
 * tables, the sealed secrets and the `webhooks` queue. Auth serves subscriptions on it; the worker adds
 * WebhookFanout, WebhookDeliveryService and WebhookMetrics.
 */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookSubscriptionEntity, WebhookDeliveryEntity, WebhookAttemptEntity]), JobsModule],
  providers: [{ provide: WebhooksConfig, useFactory: () => loadConfig(WebhooksConfig) }, WebhookSecrets, WebhookQueue],
  exports: [TypeOrmModule, WebhooksConfig, WebhookSecrets, WebhookQueue],
})
export class WebhooksCoreModule {}
