import { LATENCY_BIN_COUNT, latencyBin, latencyBinValue, percentileOfBins } from './latency-histogram';

describe('latency histogram', () => {
  it('puts sub-millisecond, zero, negative and NaN latencies in bin 0', () => {
    for (const value of [0, 0.3, 0.999, -5, Number.NaN]) expect(latencyBin(value)).toBe(0);
    expect(latencyBinValue(0)).toBe(0.5);
  });

  it('is monotonic', () => {
    let previous = 0;
    for (let ms = 0; ms < 700_000; ms = ms * 1.01 + 0.5) {
      const bin = latencyBin(ms);
      expect(bin).toBeGreaterThanOrEqual(previous);
      previous = bin;
    }
  });

  it('represents every latency from 1 ms to 10 min within 5%', () => {
    for (let ms = 1; ms <= 600_000; ms *= 1.013) {
      const value = latencyBinValue(latencyBin(ms));
      expect(Math.abs(value - ms) / ms).toBeLessThanOrEqual(0.05);
    }
  });

  it('clamps latencies beyond 10 minutes into the last bin', () => {
    expect(latencyBin(3_600_000)).toBe(LATENCY_BIN_COUNT - 1);
    expect(latencyBin(Number.POSITIVE_INFINITY)).toBe(LATENCY_BIN_COUNT - 1);
  });

  it('keeps the histogram small', () => {
    expect(LATENCY_BIN_COUNT).toBeLessThan(150);
  });

  describe('percentileOfBins', () => {
    it('is 0 when empty', () => {
      expect(percentileOfBins(new Uint32Array(LATENCY_BIN_COUNT), 0, 0.5)).toBe(0);
    });

    it('takes the nearest rank', () => {
      const counts = new Uint32Array(LATENCY_BIN_COUNT);
      for (const ms of [10, 20, 30, 40]) counts[latencyBin(ms)]++;
      expect(percentileOfBins(counts, 4, 0.5)).toBe(latencyBinValue(latencyBin(20)));
      expect(percentileOfBins(counts, 4, 0.51)).toBe(latencyBinValue(latencyBin(30)));
      expect(percentileOfBins(counts, 4, 1)).toBe(latencyBinValue(latencyBin(40)));
      expect(percentileOfBins(counts, 4, 0)).toBe(latencyBinValue(latencyBin(10)));
    });

    it('falls back to the last bin when counts are short of total', () => {
      expect(percentileOfBins(new Uint32Array(LATENCY_BIN_COUNT), 5, 0.5)).toBe(latencyBinValue(LATENCY_BIN_COUNT - 1));
    });
  });
});
