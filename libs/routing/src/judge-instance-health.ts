import type { InstanceStatus } from '@ish/contracts';

export interface HealthThresholds {
  /** consecutive failed probes that make an instance unhealthy */
  unhealthyAfterFailures: number;
  /** passive error rate (0..1) at or above which a live instance is degraded… */
  degradedErrorRate: number;
  /** …or passive p95 latency at or above this */
  degradedP95LatencyMs: number;
  /** passive figures count only over at least this many requests */
  minPassiveRequests: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: Readonly<HealthThresholds> = Object.freeze({
  unhealthyAfterFailures: 2,
  degradedErrorRate: 0.25,
  degradedP95LatencyMs: 10_000,
  minPassiveRequests: 10,
});

/** Real traffic to one instance over the passive-health window. */
export interface PassiveHealth {
  requests: number;
  errors: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
}

export interface HealthObservation {
  probeOk: boolean;
  /** failed probes in a row, this one included (0 after a success) */
  consecutiveFailures: number;
  passive?: PassiveHealth;
}

export interface HealthVerdict {
  status: InstanceStatus;
  /** why, in a few words (for events and logs) */
  reason: string;
}

/**
 * The status an instance should have after a probe. disabled and standby belong to the operator
 * and the scaler, never to health. A failed probe alone changes nothing until failures run
 * `unhealthyAfterFailures` in a row (one lost packet must not take an instance out); a good probe
 * makes it healthy, or degraded when real traffic says it errs or crawls.
 */
export function judgeInstanceHealth(current: InstanceStatus, observation: HealthObservation, thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS): HealthVerdict {
  if (current === 'disabled' || current === 'standby') return { status: current, reason: `${current} instances are not judged` };
  if (!observation.probeOk) {
    const failures = observation.consecutiveFailures;
    if (failures >= thresholds.unhealthyAfterFailures) return { status: 'unhealthy', reason: `${failures} probe(s) failed in a row` };
    return { status: current, reason: `${failures} probe(s) failed in a row, below ${thresholds.unhealthyAfterFailures}` };
  }
  const passive = observation.passive;
  if (passive && passive.requests >= thresholds.minPassiveRequests) {
    const errorRate = passive.errors / passive.requests;
    if (errorRate >= thresholds.degradedErrorRate) {
      return { status: 'degraded', reason: `probe ok but ${Math.round(errorRate * 100)}% of ${passive.requests} recent requests failed` };
    }
    if (passive.p95LatencyMs >= thresholds.degradedP95LatencyMs) {
      return { status: 'degraded', reason: `probe ok but recent p95 latency is ${Math.round(passive.p95LatencyMs)} ms` };
    }
  }
  return { status: 'healthy', reason: 'probe ok' };
}
