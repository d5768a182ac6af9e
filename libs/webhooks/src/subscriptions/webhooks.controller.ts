import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  CreatedWebhook,
  CreateWebhookRequest,
  ListWebhookDeliveriesQuery,
  Principal,
  RedeliveryAccepted,
  UpdateWebhookRequest,
  WebhookDeliveryView,
  WebhookView,
} from '@ish/contracts';
import { CurrentPrincipal, RequireScopes } from '@ish/platform';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';

/** API.md "Webhooks": subscriptions, their deliveries, redelivery (the class name makes the OpenAPI operation ids). */
@ApiTags('webhooks')
@ApiBearerAuth()
@RequireScopes('webhooks')
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookSubscriptionsService) {}

  /** the signing secret is in this answer only */
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateWebhookRequest): Promise<CreatedWebhook> {
    return this.webhooks.create(principal, body);
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<WebhookView[]> {
    return this.webhooks.list(principal);
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<WebhookView> {
    return this.webhooks.get(principal, id);
  }

  /** change url, events, description; `enabled: true` brings back an endpoint that was disabled for failing */
  @Patch(':id')
  update(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateWebhookRequest): Promise<WebhookView> {
    return this.webhooks.update(principal, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.webhooks.remove(principal, id);
  }

  /** newest first, each with its attempts (status code, latency, time) */
  @Get(':id/deliveries')
  deliveries(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: ListWebhookDeliveriesQuery): Promise<WebhookDeliveryView[]> {
    return this.webhooks.deliveriesOf(principal, id, query);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  redeliver(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('deliveryId', new ParseUUIDPipe()) deliveryId: string,
  ): Promise<RedeliveryAccepted> {
    return this.webhooks.redeliver(principal, id, deliveryId);
  }
}
