import { Injectable } from '@nestjs/common';
import { InstanceTraffic, RequestLogReadModel } from '@ish/usage';
import { InstanceManagerConfig } from '../config';

/**
 * Real traffic to instances over the last HEALTH_PASSIVE_WINDOW_SECONDS, as the request log's read
 * model defines it: the one window and definition behind the health verdicts, the routing table's
 * latencies and the `stats` of every instance view, so the console shows what health judged.
 */
@Injectable()
export class PassiveStatsReader {
  constructor(
    private readonly requestLogs: RequestLogReadModel,
    private readonly config: InstanceManagerConfig,
  ) {}

  window(instanceIds: readonly string[]): Promise<Map<string, InstanceTraffic>> {
    return this.requestLogs.instanceTraffic(instanceIds, this.config.HEALTH_PASSIVE_WINDOW_SECONDS);
  }
}
