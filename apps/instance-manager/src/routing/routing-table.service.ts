import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { EVENTS, RoutableInstance, RoutingTableSnapshot } from '@ish/contracts';
import { InstanceEntity } from '@ish/database';
import { AmqpClient } from '@ish/platform';
import { instanceFields } from '../instances/instance-fields';
import { PassiveStatsReader } from '../live-state/passive-stats-reader';
import { RoutingPolicyService } from './routing-policy.service';

/**
 * Builds the routing table from the database and broadcasts it to every relay and worker: the
 * healthy and degraded instances (standby instances the scaler activated included, parked ones
 * not), the routing policy, and each instance's p50 latency from the passive-health window (0 for
 * an instance without recent successful traffic).
 */
@Injectable()
export class RoutingTableService implements OnApplicationBootstrap {
  private readonly logger = new Logger('RoutingTable');
  private lastPublished?: string;

  constructor(
    @InjectRepository(InstanceEntity) private readonly instances: Repository<InstanceEntity>,
    private readonly client: AmqpClient,
    private readonly policy: RoutingPolicyService,
    private readonly passive: PassiveStatsReader,
  ) {}

  onApplicationBootstrap(): void {
    // replicas that started before us may hold an older table
    void this.publish().catch((error: unknown) => this.logger.warn(`initial broadcast failed: ${(error as Error).message}`));
  }

  async snapshot(): Promise<RoutingTableSnapshot> {
    const [rows, policy] = await Promise.all([
      this.instances.find({ where: { status: In(['healthy', 'degraded']) }, order: { priority: 'ASC', name: 'ASC' } }),
      this.policy.current(),
    ]);
    const passive = await this.passive.window(rows.map((row) => row.id));
    return {
      strategy: policy.strategy,
      fallbacks: policy.fallbacks,
      aliases: policy.aliases,
      instances: rows.map((row) => toRoutable(row, passive.get(row.id)?.p50LatencyMs ?? 0)),
      version: Date.now(),
    };
  }

  async publish(): Promise<RoutingTableSnapshot> {
    const snapshot = await this.snapshot();
    await this.client.publishEvent(EVENTS.routingTableUpdated, snapshot);
    this.lastPublished = contentOf(snapshot);
    return snapshot;
  }

  /** Publishes only when the table differs from the last one this replica published (after a probe round). */
  async publishIfChanged(): Promise<boolean> {
    const snapshot = await this.snapshot();
    const content = contentOf(snapshot);
    if (content === this.lastPublished) return false;
    await this.client.publishEvent(EVENTS.routingTableUpdated, snapshot);
    this.lastPublished = content;
    return true;
  }
}

function contentOf(snapshot: RoutingTableSnapshot): string {
  const { version: _version, ...content } = snapshot;
  return JSON.stringify(content);
}

function toRoutable(row: InstanceEntity, p50LatencyMs: number): RoutableInstance {
  return {
    ...instanceFields(row),
    p50LatencyMs,
    apiKeyEncrypted: row.apiKeyEncrypted,
    settings: row.settings ?? {},
  };
}
