import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { ScalingDirection, ScalingEventView } from '@ish/contracts';
import { ScalingEventEntity } from '@ish/database';
import { countScalingEvent } from '../metrics/instance-manager.metrics';

const REASON_MAX = 300;

/** The scaler's decisions: one `scaling_events` row and one metric increment each. */
@Injectable()
export class ScalingEventsService {
  constructor(@InjectRepository(ScalingEventEntity) private readonly events: Repository<ScalingEventEntity>) {}

  async record(direction: ScalingDirection, instance: { id: string; name: string }, utilization: number, reason: string): Promise<void> {
    await this.events.insert({
      direction,
      instanceId: instance.id,
      instanceName: instance.name,
      utilization,
      reason: reason.length > REASON_MAX ? `${reason.slice(0, REASON_MAX - 1)}…` : reason,
    });
    countScalingEvent(direction);
  }

  /** newest first */
  async list(limit = 50): Promise<ScalingEventView[]> {
    const rows = await this.events.find({ order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
    return rows.map((row) => ({
      id: String(row.id),
      direction: row.direction as ScalingDirection,
      instanceId: row.instanceId,
      instanceName: row.instanceName,
      utilization: Number(row.utilization),
      reason: row.reason,
      createdAt: row.createdAt.toISOString(),
    }));
  }
}
