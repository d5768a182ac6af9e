import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ListJobsQuery } from '@ish/contracts';
import type { JobView, Principal } from '@ish/contracts';
import { ApiError, CurrentPrincipal, RequireScopes } from '@ish/platform';
import { JobQueues } from './ai-job.queue';
import { toJobView } from './job-view';

const DEFAULT_LIMIT = 20;

@ApiTags('relay')
@ApiBearerAuth()
@RequireScopes('chat')
@Controller('api/v1/jobs')
export class JobsController {
  constructor(private readonly queues: JobQueues) {}

  /** the caller's own jobs (ai and adb), newest first */
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListJobsQuery): Promise<JobView[]> {
    return this.queues.recent(principal.userId, query.limit ?? DEFAULT_LIMIT);
  }

  /** own jobs only: another user's job is as absent as a missing one */
  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<JobView> {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw ApiError.notFound('No such job', 'job_not_found');
    const found = await this.queues.find(id);
    if (!found || (found.data as { userId?: string }).userId !== principal.userId) throw ApiError.notFound('No such job', 'job_not_found');
    return toJobView(found.job, found.state);
  }
}
