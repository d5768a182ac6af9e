import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { InstanceEntity } from '@ish/database';
import { decideScaling, ScalingMemory, ScalingPoolMember } from '@ish/routing';
import { InstanceManagerConfig } from '../config';
import { HealthCheckService } from '../health/health-check.service';
import { LeaderLock } from '../leadership/leader-lock';
import { LeaderLoop } from '../leadership/leader-loop';
import { InFlightReader } from '../live-state/in-flight-reader';
import { RoutingTableService } from '../routing/routing-table.service';
import { InstanceStatusWriter } from '../status/instance-status.writer';
import { ScalingEventsService } from './scaling-events.service';
import { ScalingPolicyService } from './scaling-policy.service';

/**
 * The standby scaler, on the leader only, every SCALING_INTERVAL_MS: utilization from the in-flight
 * counts of every relay and worker, a decision by decideScaling, and for each decision a status
 * change (with its event), a scaling event and a new routing table. A standby instance is probed
 * before it is activated; one that fails its probe is passed over for the next.
 */
@Injectable()
export class ScalingLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Scaler');
  private readonly loop: LeaderLoop;
  private memory: ScalingMemory = {};

  constructor(
    @InjectRepository(InstanceEntity) private readonly instances: Repository<InstanceEntity>,
    private readonly policies: ScalingPolicyService,
    private readonly events: ScalingEventsService,
    private readonly inFlight: InFlightReader,
    private readonly health: HealthCheckService,
    private readonly status: InstanceStatusWriter,
    private readonly routingTable: RoutingTableService,
    leader: LeaderLock,
    config: InstanceManagerConfig,
  ) {
    this.loop = new LeaderLoop(leader, {
      name: 'scaling round',
      logger: this.logger,
      intervalMs: config.SCALING_INTERVAL_MS,
      lead: () => this.scale(),
      // a new leader starts its cooldowns afresh; so does this one if it leads again
      onLeadershipLost: () => {
        this.memory = {};
      },
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  private async scale(): Promise<void> {
    const [policy, rows, inFlight] = await Promise.all([this.policies.current(), this.instances.find(), this.inFlight.totals()]);
    const pool: ScalingPoolMember[] = rows.map((row) => ({
      id: row.id,
      name: row.name,
      status: row.status,
      standby: row.standby,
      priority: row.priority,
      maxConcurrency: row.maxConcurrency,
      inFlight: inFlight.get(row.id) ?? 0,
    }));
    const decision = decideScaling(pool, policy, this.memory, Date.now());
    this.memory = decision.memory;
    if (decision.action === 'up') {
      for (const candidate of decision.candidates) {
        const row = rows.find((r) => r.id === candidate.id) as InstanceEntity;
        if (await this.activate(row, decision.utilization, decision.reason)) return;
      }
      this.logger.warn(`scale up wanted (${decision.reason}) but no standby instance passed its probe`);
    } else if (decision.action === 'down') {
      const row = rows.find((r) => r.id === decision.instance.id) as InstanceEntity;
      if (await this.status.transition(row, 'standby', `returned to standby by the scaler: ${decision.reason}`)) {
        await this.events.record('down', row, decision.utilization, decision.reason);
        await this.routingTable.publish();
      }
    }
  }

  private async activate(row: InstanceEntity, utilization: number, reason: string): Promise<boolean> {
    const { probe } = await this.health.probe(row);
    if (!probe.ok) {
      this.logger.warn(`standby instance ${row.name} (${row.id}) not activated: its probe failed: ${probe.error}`);
      return false;
    }
    if (!(await this.status.transition(row, 'healthy', `activated by the scaler: ${reason}`, new Date()))) return false;
    await this.events.record('up', row, utilization, reason);
    await this.routingTable.publish();
    return true;
  }
}
