import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { EVENTS, RoutableInstance, RoutingTableSnapshot } from '@ish/contracts';
import { InstanceEntity } from '@ish/database';
import { AmqpClient } from '@ish/platform';
import { InstanceManagerConfig } from '../config';

/** Builds the routing table from the database and broadcasts it to every relay and worker. */
@Injectable()
export class RoutingTableService implements OnApplicationBootstrap {
  private readonly logger = new Logger('RoutingTable');

  constructor(
    @InjectRepository(InstanceEntity) private readonly instances: Repository<InstanceEntity>,
    private readonly client: AmqpClient,
    private readonly config: InstanceManagerConfig,
  ) {}

  onApplicationBootstrap(): void {
    // replicas that started before us may hold an older table
    void this.publish().catch((error: unknown) => this.logger.warn(`initial broadcast failed: ${(error as Error).message}`));
  }

  async snapshot(): Promise<RoutingTableSnapshot> {
    const rows = await this.instances.find({ where: { status: In(['healthy', 'degraded']), standby: false }, order: { priority: 'ASC', name: 'ASC' } });
    return { strategy: this.config.ROUTING_STRATEGY, instances: rows.map(toRoutable), version: Date.now() };
  }

  async publish(): Promise<RoutingTableSnapshot> {
    const snapshot = await this.snapshot();
    await this.client.publishEvent(EVENTS.routingTableUpdated, snapshot);
    return snapshot;
  }
}

function toRoutable(row: InstanceEntity): RoutableInstance {
  return {
    id: row.id,
    name: row.name,
    providerType: row.providerType,
    baseUrl: row.baseUrl,
    models: row.models,
    weight: row.weight,
    priority: row.priority,
    maxConcurrency: row.maxConcurrency,
    status: row.status,
    p50LatencyMs: 0,
    timeoutMs: row.timeoutMs,
    apiKeyEncrypted: row.apiKeyEncrypted,
  };
}
