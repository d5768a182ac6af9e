import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { HealthCheckResult } from '@ish/contracts';
import { InstanceEntity } from '@ish/database';
import { ApiError } from '@ish/platform';
import { PassiveStatsReader } from '../live-state/passive-stats-reader';
import { RoutingTableService } from '../routing/routing-table.service';
import { HealthCheckService } from './health-check.service';

/** `POST /api/v1/instances/{id}/health-check`, on whichever replica the request reached. */
@Injectable()
export class HealthCheckNowService {
  constructor(
    @InjectRepository(InstanceEntity) private readonly instances: Repository<InstanceEntity>,
    private readonly health: HealthCheckService,
    private readonly passive: PassiveStatsReader,
    private readonly routingTable: RoutingTableService,
  ) {}

  async run(id: string): Promise<HealthCheckResult> {
    const row = await this.instances.findOne({ where: { id } });
    if (!row) throw ApiError.notFound('No such instance', 'instance_not_found');
    const passive = (await this.passive.window([id])).get(id);
    const { result, statusChanged } = await this.health.check(row, passive);
    if (statusChanged) await this.routingTable.publish();
    return result;
  }
}
