import type { StatsView } from '@ish/contracts';

/** The figures `ish top` charts, from one GET /api/v1/stats. */
export interface StatsSample {
  perSecond: number;
  errorRate: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
}

/** The newest `capacity` samples, oldest first: what the charts draw, one column per refresh. */
export class StatsHistory {
  private readonly samples: StatsSample[] = [];

  constructor(readonly capacity: number) {}

  add(stats: StatsView): void {
    const { perSecond, errorRate, p50LatencyMs, p95LatencyMs } = stats.requests;
    this.samples.push({ perSecond, errorRate, p50LatencyMs, p95LatencyMs });
    if (this.samples.length > this.capacity) this.samples.splice(0, this.samples.length - this.capacity);
  }

  /** The newest `count` samples (all when fewer), oldest first. */
  last(count: number): StatsSample[] {
    return this.samples.slice(Math.max(0, this.samples.length - count));
  }

  get size(): number {
    return this.samples.length;
  }
}
