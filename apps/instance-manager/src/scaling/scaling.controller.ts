import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ScalingEventsQuery, ScalingEventView, ScalingPolicy } from '@ish/contracts';
import { RequireScopes } from '@ish/platform';
import { ScalingEventsService } from './scaling-events.service';
import { ScalingPolicyService } from './scaling-policy.service';

/** Its module is imported before InstancesModule: `/instances/scaling` must match before `/instances/:id`. */
@ApiTags('instances')
@ApiBearerAuth()
@Controller('api/v1/instances/scaling')
export class ScalingController {
  constructor(
    private readonly policy: ScalingPolicyService,
    private readonly events: ScalingEventsService,
  ) {}

  @RequireScopes('instances:read')
  @Get()
  get(): Promise<ScalingPolicy> {
    return this.policy.current();
  }

  /** the leader's scaler reads it on its next round */
  @RequireScopes('instances:write')
  @Put()
  replace(@Body() body: ScalingPolicy): Promise<ScalingPolicy> {
    return this.policy.replace(body);
  }

  @RequireScopes('instances:read')
  @Get('events')
  list(@Query() query: ScalingEventsQuery): Promise<ScalingEventView[]> {
    return this.events.list(query.limit);
  }
}
