/**
 * Every upstream call over a short recent window, for live dashboards (`GET /api/v1/stats`): the same
 * definitions as InstanceTraffic — `errors` are the calls that blame an instance, latency percentiles
 * are of successful calls (0 when there is none) — summed over all instances.
 */
export interface LiveTraffic {
  windowSeconds: number;
  count: number;
  errors: number;
  /** calls per second over the window */
  perSecond: number;
  /** errors / count, 0 without calls */
  errorRate: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
}

/** The window query's one row, as PostgreSQL answers it. */
export interface LiveTrafficRow {
  count: number;
  errors: number;
  p50: number | null;
  p95: number | null;
}

/** Rates rounded to 3 decimals, percentiles to whole milliseconds. */
export function toLiveTraffic(row: LiveTrafficRow, windowSeconds: number): LiveTraffic {
  const round3 = (value: number) => Math.round(value * 1000) / 1000;
  return {
    windowSeconds,
    count: row.count,
    errors: row.errors,
    perSecond: round3(row.count / windowSeconds),
    errorRate: row.count === 0 ? 0 : round3(row.errors / row.count),
    p50LatencyMs: Math.round(row.p50 ?? 0),
    p95LatencyMs: Math.round(row.p95 ?? 0),
  };
}

/** The start of the UTC day `now` falls in: where "spend today" begins. */
export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
