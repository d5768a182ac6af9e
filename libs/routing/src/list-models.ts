import type { RoutingTableSnapshot } from '@ish/contracts';
import { planRoute } from './select-instance';

export interface ListedModel {
  id: string;
  object: 'model';
  owned_by: string;
}

/**
 * `GET /models` from a routing table: each model a healthy or degraded instance lists (owned by the
 * first such instance's provider), then each alias that one of those instances would answer, owned
 * by "ish" (an alias wins over a model of the same name, as it does in routing).
 */
export function listModels(table: RoutingTableSnapshot | undefined): ListedModel[] {
  const owners = new Map<string, string>();
  const instances = table?.instances ?? [];
  for (const instance of instances) {
    if (instance.status !== 'healthy' && instance.status !== 'degraded') continue;
    for (const model of instance.models) if (!owners.has(model)) owners.set(model, instance.providerType);
  }
  // routed as a request would be (its own models only, not their fallbacks), ignoring this process's live load
  const candidates = instances.map((instance) => ({ ...instance, inFlight: 0, circuit: 'closed' as const }));
  for (const alias of Object.keys(table?.aliases ?? {})) {
    const plan = planRoute(candidates, { model: alias }, { strategy: table!.strategy, aliases: table!.aliases });
    if (plan.attempts.length > 0) owners.set(alias, 'ish');
  }
  return [...owners].map(([id, owner]) => ({ id, object: 'model', owned_by: owner }));
}
