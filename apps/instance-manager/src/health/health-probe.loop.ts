import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { InstanceEntity } from '@ish/database';
import { InstanceManagerConfig } from '../config';
import { LeaderLock } from '../leadership/leader-lock';
import { LeaderLoop } from '../leadership/leader-loop';
import { CircuitStates } from '../live-state/circuit-states';
import { PassiveStatsReader } from '../live-state/passive-stats-reader';
import { clearInstanceGauges, setInstanceGauges } from '../metrics/instance-manager.metrics';
import { RoutingTableService } from '../routing/routing-table.service';
import { HealthCheckService } from './health-check.service';

/** disabled and standby instances belong to the operator and the scaler: not probed */
const PROBED_STATUSES = ['healthy', 'degraded', 'unhealthy'] as const;

/**
 * On the leader only, every HEALTH_PROBE_INTERVAL_MS: probes every live instance at once, then
 * publishes the routing table if a status or a p50 latency changed, then sets the instance gauges.
 * The next round is scheduled when this one ended, so rounds never overlap.
 */
@Injectable()
export class HealthProbeLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('HealthProbe');
  private readonly loop: LeaderLoop;

  constructor(
    @InjectRepository(InstanceEntity) private readonly instances: Repository<InstanceEntity>,
    private readonly health: HealthCheckService,
    private readonly passive: PassiveStatsReader,
    private readonly circuits: CircuitStates,
    private readonly routingTable: RoutingTableService,
    leader: LeaderLock,
    config: InstanceManagerConfig,
  ) {
    this.loop = new LeaderLoop(leader, {
      name: 'probe round',
      logger: this.logger,
      intervalMs: config.HEALTH_PROBE_INTERVAL_MS,
      lead: () => this.probeAll(),
      // the gauges are the leader's: a replica that stopped leading must not keep exporting stale ones
      onLeadershipLost: clearInstanceGauges,
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  private async probeAll(): Promise<void> {
    const rows = await this.instances.find({ where: { status: In([...PROBED_STATUSES]) } });
    const passive = await this.passive.window(rows.map((row) => row.id));
    const checks = await Promise.allSettled(rows.map((row) => this.health.check(row, passive.get(row.id))));
    checks.forEach((check, index) => {
      if (check.status === 'rejected') this.logger.warn(`health check of ${rows[index].name} (${rows[index].id}) failed: ${(check.reason as Error).message}`);
    });
    await this.routingTable.publishIfChanged();
    await this.refreshGauges();
  }

  private async refreshGauges(): Promise<void> {
    const all = await this.instances.find({ select: { id: true, providerType: true, status: true } });
    setInstanceGauges(all, await this.circuits.statesOf(all.map((row) => row.id)));
  }
}
