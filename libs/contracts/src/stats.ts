import type { CircuitState, InstanceStatus, ProviderType } from './instances';
import type { QueueName } from './queues';

/** `GET /api/v1/stats` covers the calls of this many seconds before `at`. */
export const STATS_WINDOW_SECONDS = 60;

/** A BullMQ queue's jobs by state; `waiting` includes prioritized and paused jobs. */
export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** One instance as live dashboards show it. */
export interface StatsInstance {
  id: string;
  name: string;
  providerType: ProviderType;
  status: InstanceStatus;
  circuit: CircuitState;
  inFlight: number;
}

/** `GET /api/v1/stats` (API.md "Usage, logs and live figures"): what the system is doing right now. */
export interface StatsView {
  at: string;
  windowSeconds: number;
  /** upstream calls of the window; errors and latencies as in an instance's `stats` */
  requests: { count: number; errors: number; perSecond: number; errorRate: number; p50LatencyMs: number; p95LatencyMs: number };
  instances: StatsInstance[];
  /** null for a queue Redis did not answer for within a second */
  queues: Record<QueueName, QueueDepth | null>;
  /** estimated cost of the calls since 00:00 UTC */
  spendTodayUsd: number;
}
