import { SlidingWindowStats } from './sliding-window';

const T0 = 1_700_000_000_000;

function exactPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

describe('SlidingWindowStats', () => {
  it('is empty at first', () => {
    expect(new SlidingWindowStats().snapshot(T0)).toEqual({ requests: 0, errors: 0, errorRate: 0, p50LatencyMs: 0, p95LatencyMs: 0, p99LatencyMs: 0 });
  });

  it('defaults to a 60 s window of 1 s buckets', () => {
    const stats = new SlidingWindowStats();
    expect([stats.windowMs, stats.bucketMs]).toEqual([60_000, 1000]);
  });

  it('refuses a bucket larger than the window or not positive', () => {
    expect(() => new SlidingWindowStats({ windowMs: 1000, bucketMs: 2000 })).toThrow(RangeError);
    expect(() => new SlidingWindowStats({ bucketMs: 0 })).toThrow(RangeError);
  });

  it('counts requests and errors', () => {
    const stats = new SlidingWindowStats();
    stats.record(100, true, T0);
    stats.record(200, false, T0 + 10);
    stats.record(300, true, T0 + 2000);
    stats.record(400, false, T0 + 3000);
    expect(stats.snapshot(T0 + 3000)).toMatchObject({ requests: 4, errors: 2, errorRate: 0.5 });
  });

  it('reports the exact latency when all samples are equal', () => {
    const stats = new SlidingWindowStats();
    for (let i = 0; i < 50; i++) stats.record(123, true, T0 + i * 10);
    expect(stats.snapshot(T0 + 500)).toMatchObject({ p50LatencyMs: 123, p95LatencyMs: 123, p99LatencyMs: 123 });
  });

  it('gives percentiles within 5% of the exact nearest-rank value', () => {
    const stats = new SlidingWindowStats();
    const values: number[] = [];
    let seed = 42;
    for (let i = 0; i < 5000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const latency = 5 + (seed / 2 ** 31) ** 3 * 8000;
      values.push(latency);
      stats.record(latency, true, T0 + (i % 50) * 1000);
    }
    const snapshot = stats.snapshot(T0 + 49_999);
    expect(snapshot.requests).toBe(5000);
    for (const [p, reported] of [
      [0.5, snapshot.p50LatencyMs],
      [0.95, snapshot.p95LatencyMs],
      [0.99, snapshot.p99LatencyMs],
    ] as const) {
      const exact = exactPercentile(values, p);
      expect(Math.abs(reported - exact) / exact).toBeLessThanOrEqual(0.05);
    }
  });

  it('keeps percentiles ordered and within the observed range', () => {
    const stats = new SlidingWindowStats();
    for (const ms of [3, 7, 15, 900, 1200, 40]) stats.record(ms, true, T0);
    const { p50LatencyMs, p95LatencyMs, p99LatencyMs } = stats.snapshot(T0);
    expect(p50LatencyMs).toBeGreaterThanOrEqual(3);
    expect(p50LatencyMs).toBeLessThanOrEqual(p95LatencyMs);
    expect(p95LatencyMs).toBeLessThanOrEqual(p99LatencyMs);
    expect(p99LatencyMs).toBeLessThanOrEqual(1200);
  });

  it('forgets whole buckets once they leave the window', () => {
    const stats = new SlidingWindowStats({ windowMs: 10_000, bucketMs: 1000 });
    stats.record(1000, false, T0);
    stats.record(10, true, T0 + 5000);
    expect(stats.snapshot(T0 + 9999)).toMatchObject({ requests: 2, errors: 1 });
    expect(stats.snapshot(T0 + 10_000)).toMatchObject({ requests: 1, errors: 0, errorRate: 0, p50LatencyMs: 10 });
    expect(stats.snapshot(T0 + 15_000)).toMatchObject({ requests: 0, errors: 0, p99LatencyMs: 0 });
  });

  it('survives a long silence and reuses its ring', () => {
    const stats = new SlidingWindowStats({ windowMs: 5000, bucketMs: 1000 });
    for (let i = 0; i < 5; i++) stats.record(50, false, T0 + i * 1000);
    stats.record(20, true, T0 + 3_600_000);
    expect(stats.snapshot(T0 + 3_600_000)).toMatchObject({ requests: 1, errors: 0, p50LatencyMs: 20 });
  });

  it('slides continuously: at any moment it holds the last windowMs of records', () => {
    const stats = new SlidingWindowStats({ windowMs: 60_000, bucketMs: 1000 });
    for (let second = 0; second < 300; second++) {
      stats.record(100, second % 4 === 0, T0 + second * 1000);
      const expected = Math.min(second + 1, 60);
      expect(stats.snapshot(T0 + second * 1000).requests).toBe(expected);
    }
    expect(stats.snapshot(T0 + 299_000).errorRate).toBeCloseTo(0.75, 5);
  });

  it('ignores records older than the window and accepts late ones inside it', () => {
    const stats = new SlidingWindowStats({ windowMs: 10_000, bucketMs: 1000 });
    stats.record(10, true, T0 + 20_000);
    stats.record(10, false, T0 + 5_000);
    stats.record(10, false, T0 + 15_000);
    expect(stats.snapshot(T0 + 20_000)).toMatchObject({ requests: 2, errors: 1 });
  });

  it('does not lose data when the clock goes back for a snapshot', () => {
    const stats = new SlidingWindowStats({ windowMs: 10_000 });
    stats.record(10, true, T0 + 5000);
    expect(stats.snapshot(T0).requests).toBe(1);
  });

  it('counts bad latencies as 0 ms', () => {
    const stats = new SlidingWindowStats();
    stats.record(Number.NaN, true, T0);
    stats.record(-3, true, T0);
    expect(stats.snapshot(T0)).toMatchObject({ requests: 2, p99LatencyMs: 0 });
  });

  it('works with a window that is not a multiple of the bucket', () => {
    const stats = new SlidingWindowStats({ windowMs: 2500, bucketMs: 1000 });
    stats.record(10, true, T0);
    expect(stats.snapshot(T0 + 2000).requests).toBe(1);
    expect(stats.snapshot(T0 + 3000).requests).toBe(0);
  });

  it('reads the clock when no time is given', () => {
    const stats = new SlidingWindowStats();
    stats.record(10, false);
    expect(stats.snapshot()).toMatchObject({ requests: 1, errors: 1, errorRate: 1 });
  });

  // its speed is a benchmark's business (rule: no timed assertions); here, that a fixed-size ring stays exact after a million calls
  it('counts exactly the last window after a million calls spread over 100 s', () => {
    const stats = new SlidingWindowStats();
    for (let i = 0; i < 1_000_000; i++) stats.record(i % 5000, i % 10 !== 0, T0 + i / 10);
    expect(stats.snapshot(T0 + 99_999)).toMatchObject({ requests: 600_000, errors: 60_000, errorRate: 0.1 });
  });
});
