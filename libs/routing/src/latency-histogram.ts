/** Growth between histogram bin bounds: a value is reported within ±5% (√1.1 ≈ 1.049). */
const GROWTH = 1.1;
const LOG_GROWTH = Math.log(GROWTH);
/** bins up to about 10 minutes; anything longer falls into the last one */
export const LATENCY_BIN_COUNT = 2 + Math.ceil(Math.log(600_000) / LOG_GROWTH);

/**
 * Log-scale latency bins: bin 0 holds [0, 1) ms, bin i >= 1 holds [1.1^(i-1), 1.1^i) ms.
 * Fixed memory whatever the traffic, and a relative error that does not depend on the magnitude.
 */
export function latencyBin(latencyMs: number): number {
  if (!(latencyMs >= 1)) return 0;
  return Math.min(LATENCY_BIN_COUNT - 1, 1 + Math.floor(Math.log(latencyMs) / LOG_GROWTH));
}

/** The value a bin stands for: the geometric middle of its bounds (0.5 ms for bin 0). */
export function latencyBinValue(bin: number): number {
  if (bin <= 0) return 0.5;
  return Math.pow(GROWTH, bin - 0.5);
}

/** The nearest-rank percentile (0 < p <= 1) of `total` values counted per bin, or 0 when empty. */
export function percentileOfBins(counts: ArrayLike<number>, total: number, p: number): number {
  if (total <= 0) return 0;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let bin = 0; bin < counts.length; bin++) {
    seen += counts[bin];
    if (seen >= rank) return latencyBinValue(bin);
  }
  return latencyBinValue(counts.length - 1);
}
