import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RoutingPolicyView, UpdateRoutingPolicyRequest } from '@ish/contracts';
import { RequireScopes } from '@ish/platform';
import { RoutingPolicyService } from './routing-policy.service';
import { RoutingTableService } from './routing-table.service';

@ApiTags('instances')
@ApiBearerAuth()
@Controller('api/v1/routing')
export class RoutingPolicyController {
  constructor(
    private readonly policy: RoutingPolicyService,
    private readonly routingTable: RoutingTableService,
  ) {}

  @RequireScopes('instances:read')
  @Get()
  get(): Promise<RoutingPolicyView> {
    return this.policy.current();
  }

  /** takes effect on every relay and worker with the routing table it broadcasts */
  @RequireScopes('instances:write')
  @Put()
  async replace(@Body() body: UpdateRoutingPolicyRequest): Promise<RoutingPolicyView> {
    const policy = await this.policy.replace(body);
    await this.routingTable.publish();
    return policy;
  }
}
