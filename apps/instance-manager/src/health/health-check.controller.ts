import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { HealthCheckResult } from '@ish/contracts';
import { RequireScopes } from '@ish/platform';
import { HealthCheckNowService } from './health-check-now.service';

@ApiTags('instances')
@ApiBearerAuth()
@Controller('api/v1/instances')
export class HealthCheckController {
  constructor(private readonly healthCheck: HealthCheckNowService) {}

  /** probes the instance now, applies what follows from it like a scheduled probe, and answers the result */
  @RequireScopes('instances:write')
  @Post(':id/health-check')
  @HttpCode(200)
  check(@Param('id', new ParseUUIDPipe()) id: string): Promise<HealthCheckResult> {
    return this.healthCheck.run(id);
  }
}
