import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DEFAULT_LOGS_PAGE, Principal, RequestLogDetail, RequestLogEntry, RequestLogsQuery, UsageSeriesQuery, UsageSeriesReport } from '@ish/contracts';
import { ApiError, CurrentPrincipal, RequireScopes } from '@ish/platform';
import { RequestLogReadModel, usageBuckets, UsageConfig, usageReportRange } from '@ish/usage';

/** An admin credential sees everyone's usage and calls; any other only its user's own. */
const isAdmin = (principal: Principal) => principal.scopes.includes('admin');

/** Usage series and the request log (API.md "Usage, logs and live figures"), served where the admin usage report is. */
@ApiTags('usage')
@ApiBearerAuth()
@RequireScopes('chat')
@Controller('api/v1')
export class UsageController {
  constructor(
    private readonly requestLogs: RequestLogReadModel,
    private readonly config: UsageConfig,
  ) {}

  /** requests, errors, tokens and cost per bucket (`interval`, default day) and group (`groupBy`, default model), over `from`..`to` (default the last 30 days) */
  @Get('usage')
  async usage(@CurrentPrincipal() principal: Principal, @Query() query: UsageSeriesQuery): Promise<UsageSeriesReport> {
    if (query.userId && !isAdmin(principal)) throw ApiError.forbidden('Only an admin may read the usage of another user (userId)', 'insufficient_scope').withParam('userId');
    const interval = query.interval ?? 'day';
    const range = usageBuckets(usageReportRange(query), interval, this.config.USAGE_MAX_POINTS);
    const userId = isAdmin(principal) ? query.userId : principal.userId;
    return this.requestLogs.usageSeries({ range, interval, groupBy: query.groupBy ?? 'model', userId });
  }

  /** the caller's calls (an admin's: everyone's), newest first; the next page is `before` the last entry's id */
  @Get('logs')
  logs(@CurrentPrincipal() principal: Principal, @Query() query: RequestLogsQuery): Promise<RequestLogEntry[]> {
    return this.requestLogs.entries({ ...query, limit: query.limit ?? DEFAULT_LOGS_PAGE, userId: isAdmin(principal) ? undefined : principal.userId });
  }

  /** one call; an admin also gets its prompt (`request`) and reply (`response`) when REQUEST_LOG_BODIES kept them */
  @Get('logs/:id')
  async entry(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<RequestLogDetail> {
    const admin = isAdmin(principal);
    const found = /^[1-9][0-9]{0,17}$/.test(id) ? await this.requestLogs.entry(id, { userId: admin ? undefined : principal.userId, withBodies: admin }) : null;
    if (!found) throw ApiError.notFound('No such log entry', 'log_entry_not_found');
    return found;
  }
}
