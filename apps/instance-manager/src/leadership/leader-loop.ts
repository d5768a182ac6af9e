import { Logger } from '@nestjs/common';
import type { LeaderLock } from './leader-lock';

export interface LeaderLoopOptions {
  /** names the round in the log line of a round that failed, e.g. `probe round` */
  name: string;
  logger: Logger;
  /** pause between the end of one round and the start of the next */
  intervalMs: number;
  /** the work of one round, run only while this replica leads */
  lead: () => Promise<void>;
  /** run by the first round that finds this replica no longer leading after it led */
  onLeadershipLost?: () => void;
}

/**
 * A periodic task that only the leading instance-manager replica runs. The next round is scheduled
 * when the previous one ended, so rounds never overlap; a failed round is logged and the loop goes on.
 */
export class LeaderLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private led = false;

  constructor(
    private readonly leader: Pick<LeaderLock, 'isLeader'>,
    private readonly options: LeaderLoopOptions,
  ) {}

  /** Schedules the first round one interval from now. */
  start(): void {
    this.schedule();
  }

  /** Schedules no more rounds and resolves when the round under way, if any, is over. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One round now; resolves when it is over. Does nothing but note it on a replica that does not lead. */
  async runOnce(): Promise<void> {
    if (!this.leader.isLeader()) {
      if (this.led) this.options.onLeadershipLost?.();
      this.led = false;
      return;
    }
    this.led = true;
    await this.options.lead();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .catch((error: unknown) => this.options.logger.warn(`${this.options.name} failed: ${(error as Error).message}`))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.options.intervalMs);
    this.timer.unref();
  }
}
