import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@ish/contracts';
import { CurrentPrincipal, RequireScopes } from '@ish/platform';
import { RoutingTableStore } from '@ish/routing';
import { ModelAccess } from './model-access';

export interface ModelList {
  object: 'list';
  data: { id: string; object: 'model'; owned_by: string }[];
}

@ApiTags('relay')
@ApiBearerAuth()
@Controller('api/v1/models')
export class ModelsController {
  constructor(
    private readonly routingTable: RoutingTableStore,
    private readonly access: ModelAccess,
  ) {}

  /** the models the healthy instances serve that the credential may call, from the local routing table (no round trip) */
  @RequireScopes('chat')
  @Get()
  list(@CurrentPrincipal() principal: Principal): ModelList {
    const seen = new Map<string, string>();
    for (const instance of this.routingTable.current()?.instances ?? []) {
      if (instance.status !== 'healthy' && instance.status !== 'degraded') continue;
      for (const model of instance.models) if (!seen.has(model)) seen.set(model, instance.providerType);
    }
    const allowed = [...seen].filter(([id]) => this.access.allows(principal, { model: id }));
    return { object: 'list', data: allowed.map(([id, owner]) => ({ id, object: 'model', owned_by: owner })) };
  }
}
