import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { EVENTS, InstanceStatus, InstanceStatusChanged } from '@ish/contracts';
import { InstanceEntity } from '@ish/database';
import { AmqpClient } from '@ish/platform';

/** Changes an instance's status and tells everyone (`instance.status_changed`, webhooks included). */
@Injectable()
export class InstanceStatusWriter {
  private readonly logger = new Logger('InstanceStatus');

  constructor(
    @InjectRepository(InstanceEntity) private readonly instances: Repository<InstanceEntity>,
    private readonly client: AmqpClient,
  ) {}

  /**
   * Moves `row` from the status it was read with to `to`, only if nobody changed it meanwhile (an
   * operator disabling an instance while its probe was out wins over the probe). Resolves to
   * whether it moved; `row` is updated when it did. Publishing the routing table is the caller's:
   * a probe round changes several instances and publishes once.
   */
  async transition(row: InstanceEntity, to: InstanceStatus, reason: string, checkedAt?: Date): Promise<boolean> {
    const from = row.status;
    if (from === to) return false;
    const result = await this.instances
      .createQueryBuilder()
      .update()
      .set({ status: to, ...(checkedAt ? { lastCheckedAt: checkedAt } : {}) })
      .where('id = :id AND status = :from', { id: row.id, from })
      .execute();
    if (!result.affected) return false;
    row.status = to;
    if (checkedAt) row.lastCheckedAt = checkedAt;
    await this.announce(row, from, to, reason);
    return true;
  }

  /** Publishes a status change already written (an operator's PATCH). */
  async announce(row: InstanceEntity, from: InstanceStatus, to: InstanceStatus, reason: string): Promise<void> {
    if (from === to) return;
    this.logger.log(`instance ${row.name} (${row.id}): ${from} → ${to}: ${reason}`);
    const event: InstanceStatusChanged = { instanceId: row.id, name: row.name, providerType: row.providerType, from, to, reason };
    await this.client.publishEvent(EVENTS.instanceStatusChanged, event).catch((error: unknown) => {
      this.logger.warn(`instance.status_changed for ${row.id} not published: ${(error as Error).message}`);
    });
  }
}
