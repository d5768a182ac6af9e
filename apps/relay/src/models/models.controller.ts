import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@ish/platform';
import { RoutingTableStore } from '@ish/routing';

export interface ModelList {
  object: 'list';
  data: { id: string; object: 'model'; owned_by: string }[];
}

@ApiTags('relay')
@ApiBearerAuth()
@Controller('api/v1/models')
export class ModelsController {
  constructor(private readonly routingTable: RoutingTableStore) {}

  /** the models the healthy instances serve, from the local routing table (no round trip) */
  @RequireScopes('chat')
  @Get()
  list(): ModelList {
    const seen = new Map<string, string>();
    for (const instance of this.routingTable.current()?.instances ?? []) {
      if (instance.status !== 'healthy' && instance.status !== 'degraded') continue;
      for (const model of instance.models) if (!seen.has(model)) seen.set(model, instance.providerType);
    }
    return { object: 'list', data: [...seen].map(([id, owner]) => ({ id, object: 'model', owned_by: owner })) };
  }
}
