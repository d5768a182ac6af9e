import { LATENCY_BIN_COUNT, latencyBin, percentileOfBins } from './latency-histogram';

export interface SlidingWindowOptions {
  /** default 60 s */
  windowMs?: number;
  /** default 1 s; the window slides by whole buckets */
  bucketMs?: number;
}

export interface WindowSnapshot {
  requests: number;
  errors: number;
  /** errors / requests, 0 when there were none */
  errorRate: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
  p99LatencyMs: number;
}

const EMPTY_SNAPSHOT: WindowSnapshot = Object.freeze({ requests: 0, errors: 0, errorRate: 0, p50LatencyMs: 0, p95LatencyMs: 0, p99LatencyMs: 0 });

/**
 * Passive health of one instance: requests, errors and latency percentiles over the last
 * `windowMs`, kept in a ring of time buckets. `record` is O(1); `snapshot` is O(latency bins +
 * buckets). A bucket leaves the window whole, so the window spans between windowMs - bucketMs and
 * windowMs. Percentiles come from a log-scale histogram (see latency-histogram): within ±5% of the
 * true nearest-rank value, never outside the smallest and largest latency seen in the window, and
 * latencies over 10 minutes count as 10 minutes. Memory is fixed: about 0.6 KB per bucket.
 */
export class SlidingWindowStats {
  readonly windowMs: number;
  readonly bucketMs: number;
  private readonly slots: number;
  private readonly slotEpoch: Float64Array;
  private readonly slotRequests: Uint32Array;
  private readonly slotErrors: Uint32Array;
  private readonly slotMin: Float64Array;
  private readonly slotMax: Float64Array;
  private readonly slotBins: Uint32Array;
  private readonly bins = new Float64Array(LATENCY_BIN_COUNT);
  private requests = 0;
  private errors = 0;
  private headEpoch = Number.NEGATIVE_INFINITY;

  constructor(options: SlidingWindowOptions = {}) {
    this.bucketMs = options.bucketMs ?? 1000;
    this.windowMs = options.windowMs ?? 60_000;
    if (!(this.bucketMs > 0) || !(this.windowMs >= this.bucketMs)) {
      throw new RangeError(`need 0 < bucketMs <= windowMs, got bucketMs=${this.bucketMs} windowMs=${this.windowMs}`);
    }
    this.slots = Math.ceil(this.windowMs / this.bucketMs);
    this.slotEpoch = new Float64Array(this.slots).fill(Number.NEGATIVE_INFINITY);
    this.slotRequests = new Uint32Array(this.slots);
    this.slotErrors = new Uint32Array(this.slots);
    this.slotMin = new Float64Array(this.slots).fill(Number.POSITIVE_INFINITY);
    this.slotMax = new Float64Array(this.slots).fill(Number.NEGATIVE_INFINITY);
    this.slotBins = new Uint32Array(this.slots * LATENCY_BIN_COUNT);
  }

  /** Counts one finished call. A time older than the window is ignored. */
  record(latencyMs: number, ok: boolean, now: number = Date.now()): void {
    const epoch = Math.floor(now / this.bucketMs);
    this.advance(epoch);
    if (epoch <= this.headEpoch - this.slots) return;
    const slot = this.slotOf(epoch);
    if (this.slotEpoch[slot] !== epoch) this.clearSlot(slot, epoch);

    const latency = Number.isFinite(latencyMs) && latencyMs > 0 ? latencyMs : 0;
    const bin = latencyBin(latency);
    this.slotRequests[slot]++;
    this.slotBins[slot * LATENCY_BIN_COUNT + bin]++;
    this.slotMin[slot] = Math.min(this.slotMin[slot], latency);
    this.slotMax[slot] = Math.max(this.slotMax[slot], latency);
    this.bins[bin]++;
    this.requests++;
    if (!ok) {
      this.slotErrors[slot]++;
      this.errors++;
    }
  }

  snapshot(now: number = Date.now()): WindowSnapshot {
    this.advance(Math.floor(now / this.bucketMs));
    if (this.requests === 0) return { ...EMPTY_SNAPSHOT };
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let slot = 0; slot < this.slots; slot++) {
      if (this.slotRequests[slot] === 0) continue;
      min = Math.min(min, this.slotMin[slot]);
      max = Math.max(max, this.slotMax[slot]);
    }
    const percentile = (p: number) => Math.min(max, Math.max(min, percentileOfBins(this.bins, this.requests, p)));
    return {
      requests: this.requests,
      errors: this.errors,
      errorRate: this.errors / this.requests,
      p50LatencyMs: percentile(0.5),
      p95LatencyMs: percentile(0.95),
      p99LatencyMs: percentile(0.99),
    };
  }

  private slotOf(epoch: number): number {
    return ((epoch % this.slots) + this.slots) % this.slots;
  }

  /** Moves the head to `epoch`, dropping the buckets that leave the window (a clock going back is ignored). */
  private advance(epoch: number): void {
    if (epoch <= this.headEpoch) return;
    const first = Math.max(this.headEpoch + 1, epoch - this.slots + 1);
    for (let stale = first; stale <= epoch; stale++) {
      const slot = this.slotOf(stale);
      if (this.slotEpoch[slot] !== Number.NEGATIVE_INFINITY && this.slotEpoch[slot] <= epoch - this.slots) this.clearSlot(slot, Number.NEGATIVE_INFINITY);
    }
    this.headEpoch = epoch;
  }

  private clearSlot(slot: number, epoch: number): void {
    if (this.slotRequests[slot] > 0) {
      const offset = slot * LATENCY_BIN_COUNT;
      for (let bin = 0; bin < LATENCY_BIN_COUNT; bin++) this.bins[bin] -= this.slotBins[offset + bin];
      this.slotBins.fill(0, offset, offset + LATENCY_BIN_COUNT);
      this.requests -= this.slotRequests[slot];
      this.errors -= this.slotErrors[slot];
    }
    this.slotEpoch[slot] = epoch;
    this.slotRequests[slot] = 0;
    this.slotErrors[slot] = 0;
    this.slotMin[slot] = Number.POSITIVE_INFINITY;
    this.slotMax[slot] = Number.NEGATIVE_INFINITY;
  }
}
