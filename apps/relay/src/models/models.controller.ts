import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@ish/contracts';
import { CurrentPrincipal, RequireScopes } from '@ish/platform';
import { ListedModel, listModels, RoutingTableStore } from '@ish/routing';
import { ModelAccess } from './model-access';

export interface ModelList {
  object: 'list';
  data: ListedModel[];
}

@ApiTags('relay')
@ApiBearerAuth()
@Controller('api/v1/models')
export class ModelsController {
  constructor(
    private readonly routingTable: RoutingTableStore,
    private readonly access: ModelAccess,
  ) {}

  /** the models and aliases the healthy instances answer that the credential may call, from the local routing table (no round trip) */
  @RequireScopes('chat')
  @Get()
  list(@CurrentPrincipal() principal: Principal): ModelList {
    return { object: 'list', data: listModels(this.routingTable.current()).filter((listed) => this.access.allows(principal, { model: listed.id })) };
  }
}
