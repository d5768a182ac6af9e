import { Module } from '@nestjs/common';
import { WebhookDeliveryService, WebhookFanout, WebhookMetrics, WebhooksCoreModule } from '@ish/webhooks';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { WebhookEventsListener } from './webhook-events.listener';

/** Webhooks in the worker: domain events → deliveries (fan-out), and the `webhooks` queue → signed HTTP calls. */
@Module({
  imports: [WebhooksCoreModule],
  controllers: [WebhookEventsListener],
  providers: [WebhookFanout, WebhookDeliveryService, WebhookMetrics, WebhookDeliveryProcessor],
})
export class WebhooksModule {}
