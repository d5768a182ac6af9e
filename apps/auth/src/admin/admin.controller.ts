import { Body, Controller, Get, Ip, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Principal, SpendView, UpdateUserRequest, UsageQuery } from '@ish/contracts';
import { SpendLedger } from '@ish/budgets';
import { UserEntity } from '@ish/database';
import { ApiError, CurrentPrincipal, RequireScopes } from '@ish/platform';
import { RequestLogReadModel, UsageByApiKey, UsageByModel, UsageByUser, usageReportRange } from '@ish/usage';
import { AuditService } from '../audit/audit.service';
import { ModelCatalog, ModelWarnings } from '../models/model-catalog';
import { RevocationPublisher } from '../revocation/revocation.publisher';
import { SessionsService } from '../sessions/sessions.service';
import { plainBudget } from '../api-keys/api-keys.service';
import { PublicUser, toPublicUser } from '../users/users.service';

@ApiTags('admin')
@ApiBearerAuth()
@RequireScopes('admin')
@Controller('api/v1/admin')
export class AdminController {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly requestLogs: RequestLogReadModel,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly revocations: RevocationPublisher,
    private readonly catalog: ModelCatalog,
    private readonly spend: SpendLedger,
  ) {}

  /** every user with their budget and spend (all their keys and sessions together) */
  @Get('users')
  async listUsers(): Promise<(PublicUser & { spend: SpendView })[]> {
    const now = new Date();
    const users = await this.users.find({ order: { createdAt: 'ASC' } });
    return Promise.all(users.map(async (user) => ({ ...toPublicUser(user), spend: await this.spend.view({ kind: 'user', id: user.id }, user.budget ?? null, now) })));
  }

  /** disabling or changing the role ends the user's sessions and cached keys everywhere; a new allowedModels or budget reaches every cache at once */
  @Patch('users/:id')
  async updateUser(@CurrentPrincipal() actor: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateUserRequest, @Ip() ip: string): Promise<PublicUser & ModelWarnings> {
    const user = await this.users.findOne({ where: { id } });
    if (!user) throw ApiError.notFound('No such user', 'user_not_found');
    const changes: Partial<UserEntity> = {};
    if (body.role !== undefined && body.role !== user.role) changes.role = body.role;
    if (body.disabled !== undefined && body.disabled !== user.disabled) changes.disabled = body.disabled;
    const revokes = Object.keys(changes).length > 0;
    if (body.allowedModels !== undefined) changes.allowedModels = body.allowedModels === null ? null : [...new Set(body.allowedModels.map((entry) => entry.trim()))];
    if (body.budget !== undefined) changes.budget = plainBudget(body.budget);
    if (Object.keys(changes).length > 0) {
      await this.users.update({ id }, changes);
      if (revokes) await this.sessions.revokeUser(id);
      else await this.revocations.changed('user', id);
      await this.audit.record('user.updated', { userId: id, actorId: actor.userId, ip, details: { ...changes } });
    }
    return { ...toPublicUser({ ...user, ...changes } as UserEntity), ...(await this.catalog.warnings(changes.allowedModels)) };
  }

  /** requests, tokens and estimated cost per user, per key and per model (`unpriced` when no price was known), from the relay's request log */
  @Get('usage')
  async usage(@Query() query: UsageQuery): Promise<{ from: string; to: string; users: UsageByUser[]; keys: UsageByApiKey[]; models: UsageByModel[] }> {
    const range = usageReportRange(query);
    const [users, keys, models] = await Promise.all([
      this.requestLogs.totalsBy('user', range),
      this.requestLogs.totalsBy('apiKey', range),
      this.requestLogs.totalsBy('model', range),
    ]);
    return { from: range.from.toISOString(), to: range.to.toISOString(), users, keys, models };
  }
}
