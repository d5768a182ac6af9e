import { Body, Controller, Get, Ip, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Principal, UpdateUserRequest, UsageQuery } from '@ish/contracts';
import { UserEntity } from '@ish/database';
import { ApiError, CurrentPrincipal, RequireScopes } from '@ish/platform';
import { AuditService } from '../audit/audit.service';
import { SessionsService } from '../sessions/sessions.service';
import { PublicUser, toPublicUser } from '../users/users.service';

interface UsageRow {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costUsd: number;
  /** calls of a model without a price (instance or built-in): counted in costUsd as 0 */
  unpricedRequests: number;
}

@ApiTags('admin')
@ApiBearerAuth()
@RequireScopes('admin')
@Controller('api/v1/admin')
export class AdminController {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  @Get('users')
  async listUsers(): Promise<PublicUser[]> {
    return (await this.users.find({ order: { createdAt: 'ASC' } })).map(toPublicUser);
  }

  /** disabling or changing the role ends the user's sessions and cached keys everywhere */
  @Patch('users/:id')
  async updateUser(@CurrentPrincipal() actor: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateUserRequest, @Ip() ip: string): Promise<PublicUser> {
    const user = await this.users.findOne({ where: { id } });
    if (!user) throw ApiError.notFound('No such user', 'user_not_found');
    const changes: Partial<UserEntity> = {};
    if (body.role !== undefined && body.role !== user.role) changes.role = body.role;
    if (body.disabled !== undefined && body.disabled !== user.disabled) changes.disabled = body.disabled;
    if (Object.keys(changes).length > 0) {
      await this.users.update({ id }, changes);
      await this.sessions.revokeUser(id);
      await this.audit.record('user.updated', { userId: id, actorId: actor.userId, ip, details: { ...changes } });
    }
    return toPublicUser({ ...user, ...changes } as UserEntity);
  }

  /** requests, tokens and estimated cost per user, per key and per model (`unpriced` when no price was known), from the relay's request log */
  @Get('usage')
  async usage(@Query() query: UsageQuery): Promise<{ from: string; to: string; users: unknown[]; keys: unknown[]; models: unknown[] }> {
    const to = query.to ?? new Date();
    const from = query.from ?? new Date(to.getTime() - 30 * 86_400_000);
    if (from > to) throw ApiError.badRequest('invalid_range', 'from must be before to', [{ field: 'from', message: 'must be before to' }]);
    const totals = `count(*)::int AS requests, coalesce(sum(l.prompt_tokens),0)::int AS "promptTokens",
      coalesce(sum(l.completion_tokens),0)::int AS "completionTokens",
      coalesce(sum(l.prompt_tokens + l.completion_tokens),0)::int AS "totalTokens", coalesce(sum(l.cost_usd),0)::float AS "costUsd",
      count(*) FILTER (WHERE l.unpriced)::int AS "unpricedRequests"`;
    const users = await this.dataSource.query<(UsageRow & { userId: string; email: string })[]>(
      `SELECT l.user_id AS "userId", u.email, ${totals} FROM request_logs l LEFT JOIN users u ON u.id = l.user_id
       WHERE l.created_at >= $1 AND l.created_at < $2 AND l.user_id IS NOT NULL GROUP BY l.user_id, u.email ORDER BY requests DESC`,
      [from, to],
    );
    const keys = await this.dataSource.query<(UsageRow & { apiKeyId: string })[]>(
      `SELECT l.api_key_id AS "apiKeyId", k.name, k.prefix, k.user_id AS "userId", ${totals} FROM request_logs l LEFT JOIN api_keys k ON k.id = l.api_key_id
       WHERE l.created_at >= $1 AND l.created_at < $2 AND l.api_key_id IS NOT NULL GROUP BY l.api_key_id, k.name, k.prefix, k.user_id ORDER BY requests DESC`,
      [from, to],
    );
    const models = await this.dataSource.query<(UsageRow & { model: string; provider: string; unpriced: boolean })[]>(
      `SELECT l.model, l.provider_type AS provider, bool_or(l.unpriced) AS unpriced, ${totals} FROM request_logs l
       WHERE l.created_at >= $1 AND l.created_at < $2 GROUP BY l.model, l.provider_type ORDER BY requests DESC`,
      [from, to],
    );
    return { from: from.toISOString(), to: to.toISOString(), users, keys, models };
  }
}
