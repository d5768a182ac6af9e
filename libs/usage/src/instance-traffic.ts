/**
 * What real traffic says about one instance over a window: the one definition that the instance
 * views (console), the health checks and the routing table share.
 * - `errors` are the calls that blame the instance: every outcome except `success`, `client_error`
 *   (the caller's request was wrong; no instance would do better) and `client_closed` (the caller
 *   went away mid-stream). An outcome added later counts as an error until it is listed here.
 * - latency percentiles are of successful calls only, so fast failures never make a broken instance
 *   look quick; 0 when the window holds no successful call.
 */
export interface InstanceTraffic {
  requests: number;
  errors: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
}

/** `request_logs.outcome` values that say nothing bad about the instance that served the call. */
export const OUTCOMES_NOT_BLAMING_THE_INSTANCE = ['success', 'client_error', 'client_closed'] as const;

/** One row of the window query, as PostgreSQL answers it. */
export interface InstanceTrafficRow {
  id: string;
  requests: number;
  errors: number;
  p50: number | null;
  p95: number | null;
}

export function toInstanceTraffic(row: InstanceTrafficRow): InstanceTraffic {
  return { requests: row.requests, errors: row.errors, p50LatencyMs: Math.round(row.p50 ?? 0), p95LatencyMs: Math.round(row.p95 ?? 0) };
}

/** The figures of an instance without traffic in the window. */
export const NO_TRAFFIC: Readonly<InstanceTraffic> = Object.freeze({ requests: 0, errors: 0, p50LatencyMs: 0, p95LatencyMs: 0 });
