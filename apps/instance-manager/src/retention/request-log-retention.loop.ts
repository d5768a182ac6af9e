import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { RequestLogRetention } from '@ish/usage';
import { LeaderLock } from '../leadership/leader-lock';
import { LeaderLoop } from '../leadership/leader-loop';

/** Retention is counted in days: an hourly sweep keeps the log within an hour of its limit. */
export const RETENTION_INTERVAL_MS = 3_600_000;

/** REQUEST_LOG_RETENTION_DAYS and REQUEST_LOG_BODIES_DAYS, applied by the leading replica only (one sweep at a time, cluster-wide). */
@Injectable()
export class RequestLogRetentionLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('RequestLogRetention');
  private readonly loop: LeaderLoop;

  constructor(retention: RequestLogRetention, leader: LeaderLock) {
    this.loop = new LeaderLoop(leader, {
      name: 'request log retention',
      logger: this.logger,
      intervalMs: RETENTION_INTERVAL_MS,
      lead: async () => {
        await retention.sweep();
      },
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}
