import { defineCounter, defineHistogram } from '@ish/platform';

/** Duration of every provider call relay and worker make, per instance. */
export const upstreamRequestDuration = defineHistogram({
  name: 'ish_upstream_request_duration_seconds',
  help: 'Duration of provider calls made by relay and worker, in seconds, by instance and provider type',
  labelNames: ['instance_id', 'provider_type'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120],
});

/** Provider calls by how they ended: `success`, or an UpstreamErrorKind (`retryable`, `rate_limited`, …). */
export const upstreamRequestsTotal = defineCounter({
  name: 'ish_upstream_requests_total',
  help: 'Provider calls made by relay and worker, by instance and outcome',
  labelNames: ['instance_id', 'outcome'] as const,
});

/** Counts and times one finished provider call. */
export function observeUpstreamCall(instance: { id: string; providerType: string }, outcome: string, latencyMs: number): void {
  upstreamRequestsTotal.inc({ instance_id: instance.id, outcome });
  upstreamRequestDuration.observe({ instance_id: instance.id, provider_type: instance.providerType }, Math.max(0, latencyMs) / 1000);
}
