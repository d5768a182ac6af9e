import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { StatsView } from '@ish/contracts';
import { RequireScopes } from '@ish/platform';
import { StatsService } from './stats.service';

@ApiTags('stats')
@ApiBearerAuth()
@Controller('api/v1/stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @RequireScopes('instances:read')
  @Get()
  /** live figures: request and error rate, p50/p95 over the last minute, instances in flight, queue depths, spend today */
  get(): Promise<StatsView> {
    return this.stats.now();
  }
}
