import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@ish/platform';
import { ListedModel, listModels, RoutingTableStore } from '@ish/routing';

export interface ModelList {
  object: 'list';
  data: ListedModel[];
}

@ApiTags('relay')
@ApiBearerAuth()
@Controller('api/v1/models')
export class ModelsController {
  constructor(private readonly routingTable: RoutingTableStore) {}

  /** the models the healthy instances serve and the aliases they answer, from the local routing table (no round trip) */
  @RequireScopes('chat')
  @Get()
  list(): ModelList {
    return { object: 'list', data: listModels(this.routingTable.current()) };
  }
}
