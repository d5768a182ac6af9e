import type { RouteCandidate } from './select-instance';

/** A routable, idle, healthy candidate for tests; `id` defaults to `name`. */
export function candidate(name: string, overrides: Partial<RouteCandidate> = {}): RouteCandidate {
  return {
    id: overrides.id ?? name,
    name,
    providerType: 'openai',
    baseUrl: `http://${name}.test/v1`,
    models: ['gpt-4o'],
    weight: 1,
    priority: 0,
    maxConcurrency: 10,
    status: 'healthy',
    p50LatencyMs: 100,
    timeoutMs: 30_000,
    apiKeyEncrypted: null,
    inFlight: 0,
    circuit: 'closed',
    ...overrides,
  };
}
