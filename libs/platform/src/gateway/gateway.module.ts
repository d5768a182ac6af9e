import { Module } from '@nestjs/common';
import { GatewayController } from './gateway.controller';

/**
 * `/api/v1/health` and `/api/v1/openapi.json` for the whole system: imported by every service behind
 * nginx's `ish_any` upstream (not the worker), which lists GatewayConfig among its config parts.
 */
@Module({ controllers: [GatewayController] })
export class GatewayModule {}
