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

/** Tokens of answered provider calls, by model (bounded: see usageModelLabel), provider type and kind (`prompt` | `completion`). */
export const upstreamTokensTotal = defineCounter({
  name: 'ish_upstream_tokens_total',
  help: 'Tokens of provider calls made by relay and worker, by model (ids the instance lists, else "other"), provider type and kind (prompt | completion)',
  labelNames: ['model', 'provider', 'kind'] as const,
});

/** Estimated cost of provider calls in USD, at the instance's prices over the built-in table (unpriced models count 0). */
export const upstreamCostUsdTotal = defineCounter({
  name: 'ish_upstream_cost_usd_total',
  help: 'Estimated cost in USD of provider calls made by relay and worker, by model (ids the instance lists, else "other") and provider type',
  labelNames: ['model', 'provider'] as const,
});

/** A model id the routing table lists for the instance keeps its name; anything else (a catch-all instance's pass-through) is `other`, so label values stay bounded. */
export function usageModelLabel(instance: { models: readonly string[] }, model: string): string {
  return instance.models.includes(model) ? model : 'other';
}

/** Adds one provider call's tokens and estimated cost to the usage counters. */
export function countUpstreamUsage(attempt: { instance: { providerType: string; models: readonly string[] }; model: string }, usage: { promptTokens: number; completionTokens: number; costUsd: number }): void {
  const model = usageModelLabel(attempt.instance, attempt.model);
  const provider = attempt.instance.providerType;
  if (usage.promptTokens > 0) upstreamTokensTotal.inc({ model, provider, kind: 'prompt' }, usage.promptTokens);
  if (usage.completionTokens > 0) upstreamTokensTotal.inc({ model, provider, kind: 'completion' }, usage.completionTokens);
  if (usage.costUsd > 0) upstreamCostUsdTotal.inc({ model, provider }, usage.costUsd);
}
