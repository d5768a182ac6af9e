import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ListJobsQuery } from '@ish/contracts';
import type { JobView, Principal } from '@ish/contracts';
import { JobReader } from '@ish/jobs';
import { ApiError, CurrentPrincipal, RequireScopes } from '@ish/platform';

const DEFAULT_LIMIT = 20;

@ApiTags('relay')
@ApiBearerAuth()
@RequireScopes('chat')
@Controller('api/v1/jobs')
export class JobsController {
  constructor(private readonly jobs: JobReader) {}

  /** the caller's own jobs (ai and adb), newest first */
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListJobsQuery): Promise<JobView[]> {
    return this.jobs.recent(principal.userId, query.limit ?? DEFAULT_LIMIT);
  }

  /** own jobs only: another user's job is as absent as a missing one */
  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<JobView> {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw ApiError.notFound('No such job', 'job_not_found');
    const found = await this.jobs.findOwn(principal.userId, id);
    if (!found) throw ApiError.notFound('No such job', 'job_not_found');
    return found;
  }
}
