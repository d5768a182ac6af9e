import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { InstanceEntity } from '@ish/database';
import { InstanceManagerConfig } from '../config';
import { LeaderLock } from '../leadership/leader-lock';
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
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private led = false;

  constructor(
    @InjectRepository(InstanceEntity) private readonly instances: Repository<InstanceEntity>,
    private readonly health: HealthCheckService,
    private readonly passive: PassiveStatsReader,
    private readonly circuits: CircuitStates,
    private readonly routingTable: RoutingTableService,
    private readonly leader: LeaderLock,
    private readonly config: InstanceManagerConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One round now; resolves when it is over. Does nothing on a replica that does not lead. */
  async round(): Promise<void> {
    if (!this.leader.isLeader()) {
      if (this.led) clearInstanceGauges();
      this.led = false;
      return;
    }
    this.led = true;
    const rows = await this.instances.find({ where: { status: In([...PROBED_STATUSES]) } });
    const passive = await this.passive.window(rows.map((row) => row.id));
    const checks = await Promise.allSettled(rows.map((row) => this.health.check(row, passive.get(row.id))));
    checks.forEach((check, index) => {
      if (check.status === 'rejected') this.logger.warn(`health check of ${rows[index].name} (${rows[index].id}) failed: ${(check.reason as Error).message}`);
    });
    await this.routingTable.publishIfChanged();
    await this.refreshGauges();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round()
        .catch((error: unknown) => this.logger.warn(`probe round failed: ${(error as Error).message}`))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.config.HEALTH_PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  private async refreshGauges(): Promise<void> {
    const all = await this.instances.find({ select: { id: true, providerType: true, status: true } });
    setInstanceGauges(all, await this.circuits.statesOf(all.map((row) => row.id)));
  }
}
