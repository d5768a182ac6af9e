import { Injectable } from '@nestjs/common';
import { STATS_WINDOW_SECONDS, StatsView } from '@ish/contracts';
import { QueueDepths } from '@ish/jobs';
import { RequestLogReadModel, startOfUtcDay } from '@ish/usage';
import { InstancesService } from '../instances/instances.service';

/**
 * Live figures for dashboards, read from what the system already counts: the request log (its read
 * model), the instances as their views show them, BullMQ's job counts. Nothing is kept here.
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly instances: InstancesService,
    private readonly requestLogs: RequestLogReadModel,
    private readonly queueDepths: QueueDepths,
  ) {}

  async now(at: Date = new Date()): Promise<StatsView> {
    const [instances, traffic, spendTodayUsd, queues] = await Promise.all([
      this.instances.list(),
      this.requestLogs.liveTraffic(STATS_WINDOW_SECONDS),
      this.requestLogs.costSince(startOfUtcDay(at)),
      this.queueDepths.read(),
    ]);
    const { windowSeconds, ...requests } = traffic;
    return {
      at: at.toISOString(),
      windowSeconds,
      requests,
      instances: instances.map(({ id, name, providerType, status, circuit, inFlight }) => ({ id, name, providerType, status, circuit, inFlight })),
      queues,
      spendTodayUsd: Math.round(spendTodayUsd * 1e6) / 1e6,
    };
  }
}
