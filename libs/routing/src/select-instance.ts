import type { CircuitState, ProviderType, RoutableInstance, RoutingStrategy } from '@ish/contracts';
import { AUTO_MODEL, ModelRef, parseModelRef } from './parse-model-ref';
import { smoothWeightedPick } from './smooth-weighted-pick';

/** An instance of the routing table with what this process knows about it right now. */
export type RouteCandidate = RoutableInstance & {
  inFlight: number;
  p50LatencyMs: number;
  circuit: CircuitState;
  /** epoch ms: the instance answered 429 and asked us to stay away until then */
  retryAfterUntil?: number;
};

export interface RouteRequest {
  /** a model id, `provider/model`, `auto` or `provider/auto` */
  model: string;
  provider?: ProviderType;
}

export interface RoutingPolicy {
  strategy: RoutingStrategy;
  /** model → models to try, in order, once every instance of the model has been tried (not transitive) */
  fallbacks?: Readonly<Record<string, readonly string[]>>;
  /** alias → models that answer it, in order; their own fallbacks come after every model of the alias */
  aliases?: Readonly<Record<string, readonly string[]>>;
}

/** What routing carries from one call to the next: the smooth WRR current weights, per model. */
export interface RoutingState {
  readonly wrrCurrentWeights: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export const INITIAL_ROUTING_STATE: RoutingState = Object.freeze({ wrrCurrentWeights: Object.freeze({}) });

/** One try: this instance, asked for this model (the id the instance itself knows). */
export interface RouteAttempt {
  instance: RouteCandidate;
  model: string;
}

export interface RoutePlan {
  /** first = preferred, the rest = failover order; empty when nothing can serve the request */
  attempts: RouteAttempt[];
  state: RoutingState;
}

interface Match {
  instance: RouteCandidate;
  model: string;
  /** ranks, most significant first; lower is better */
  rank: readonly number[];
}

const ROUTABLE_STATUSES: ReadonlySet<string> = new Set(['healthy', 'degraded']);

/**
 * Plans where a request goes: the preferred instance first, then the failover order, then the same
 * for each fallback model. An alias is replaced by its models, in order, then their fallbacks. Pure: the table, request and state are never modified; the next state
 * is returned.
 *
 * Who serves a model:
 * - an instance that lists the model id (as written, or without its `provider/` prefix when the
 *   instance is of that provider);
 * - an instance with an EMPTY `models` list is a catch-all that serves any model, ranked after every
 *   instance that lists the model (it may not really have it, and its 404 would end failover);
 *   with a `provider/` prefix only catch-alls of that provider qualify;
 * - `auto` is every instance that lists at least one model, asked for its first model.
 *
 * Only `healthy` and `degraded` instances whose circuit is not `open` are routable. Among them,
 * most significant first: listed before catch-all; rate-limited (`retryAfterUntil` > now) last,
 * before that saturated (inFlight >= maxConcurrency), before that weight-0 instances under
 * weighted-round-robin; closed circuit before half_open; healthy before degraded. Within one rank
 * the strategy orders; weighted-round-robin picks the first attempt from the best rank by smooth
 * WRR and lists the rest by weight.
 */
export function planRoute(
  table: readonly RouteCandidate[],
  request: RouteRequest,
  policy: RoutingPolicy,
  state: RoutingState = INITIAL_ROUTING_STATE,
  now: number = Date.now(),
): RoutePlan {
  const attempts: RouteAttempt[] = [];
  const seen = new Set<string>();
  let nextState = state;
  let pickedByWeight = false;

  for (const modelRef of modelsToTry(request.model, policy)) {
    const ref = parseModelRef(modelRef);
    const matches: Match[] = [];
    for (const instance of table) {
      if (!isRoutable(instance, request.provider)) continue;
      const served = servedModel(instance, modelRef, ref);
      if (!served) continue;
      const key = `${instance.id}\u0000${served.model}`;
      if (seen.has(key)) continue;
      seen.add(key);
      matches.push({ instance, model: served.model, rank: rankOf(instance, served.catchAll, policy.strategy, now) });
    }
    if (matches.length === 0) continue;

    matches.sort((a, b) => compareRanks(a.rank, b.rank) || compareByStrategy(policy.strategy, a.instance, b.instance));
    if (policy.strategy === 'weighted-round-robin' && !pickedByWeight) {
      pickedByWeight = true;
      const stateKey = `${request.provider ?? '*'}\u0000${modelRef}`;
      const picked = pickByWeight(matches, nextState.wrrCurrentWeights[stateKey] ?? {});
      if (picked) {
        matches.splice(picked.index, 1);
        matches.unshift(picked.match);
        nextState = { wrrCurrentWeights: { ...nextState.wrrCurrentWeights, [stateKey]: picked.current } };
      }
    }
    for (const match of matches) attempts.push({ instance: match.instance, model: match.model });
  }
  return { attempts, state: nextState };
}

/** The models an alias stands for, in order; undefined when `model` (as written, trimmed) is no alias. */
export function aliasedModels(model: string, aliases: RoutingPolicy['aliases']): readonly string[] | undefined {
  const name = model.trim();
  return aliases && Object.hasOwn(aliases, name) ? aliases[name] : undefined;
}

function modelsToTry(model: string, policy: RoutingPolicy): string[] {
  const requested = model.trim();
  const primaries = (aliasedModels(requested, policy.aliases) ?? [requested]).map((candidate) => candidate.trim());
  const unique: string[] = [];
  for (const candidate of [...primaries, ...primaries.flatMap((primary) => fallbacksOf(primary, policy.fallbacks))]) {
    if (candidate && !unique.includes(candidate)) unique.push(candidate);
  }
  return unique;
}

function fallbacksOf(model: string, fallbacks: RoutingPolicy['fallbacks']): string[] {
  const bare = parseModelRef(model).model;
  const key = [model, bare].find((candidate) => fallbacks && Object.hasOwn(fallbacks, candidate));
  const listed = (key !== undefined && fallbacks?.[key]) || [];
  return listed.map((fallback) => fallback.trim());
}

function isRoutable(instance: RouteCandidate, provider: ProviderType | undefined): boolean {
  return ROUTABLE_STATUSES.has(instance.status) && instance.circuit !== 'open' && (!provider || instance.providerType === provider);
}

function servedModel(instance: RouteCandidate, raw: string, ref: ModelRef): { model: string; catchAll: boolean } | undefined {
  if (ref.provider && ref.provider !== instance.providerType) {
    return instance.models.includes(raw) ? { model: raw, catchAll: false } : undefined;
  }
  if (ref.model === AUTO_MODEL) return instance.models.length > 0 ? { model: instance.models[0], catchAll: false } : undefined;
  if (instance.models.includes(raw)) return { model: raw, catchAll: false };
  if (instance.models.includes(ref.model)) return { model: ref.model, catchAll: false };
  return instance.models.length === 0 ? { model: ref.model, catchAll: true } : undefined;
}

function rankOf(instance: RouteCandidate, catchAll: boolean, strategy: RoutingStrategy, now: number): number[] {
  const rateLimited = instance.retryAfterUntil !== undefined && instance.retryAfterUntil > now;
  const saturated = instance.inFlight >= Math.max(1, instance.maxConcurrency);
  const unweighted = strategy === 'weighted-round-robin' && instance.weight <= 0;
  const availability = rateLimited ? 3 : saturated ? 2 : unweighted ? 1 : 0;
  return [catchAll ? 1 : 0, availability, instance.circuit === 'closed' ? 0 : 1, instance.status === 'healthy' ? 0 : 1];
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function load(instance: RouteCandidate): number {
  return instance.inFlight / Math.max(1, instance.maxConcurrency);
}

function compareByStrategy(strategy: RoutingStrategy, a: RouteCandidate, b: RouteCandidate): number {
  switch (strategy) {
    case 'least-latency':
      return a.p50LatencyMs - b.p50LatencyMs || a.priority - b.priority || compareText(a.name, b.name) || compareText(a.id, b.id);
    case 'least-connections':
      return load(a) - load(b) || a.priority - b.priority || compareText(a.id, b.id);
    case 'weighted-round-robin':
      return b.weight - a.weight || a.priority - b.priority || compareText(a.id, b.id);
    case 'priority-failover':
      return a.priority - b.priority || b.weight - a.weight || compareText(a.id, b.id);
  }
}

/** Smooth WRR among the best-ranked matches (already sorted, so their order is stable). */
function pickByWeight(
  sorted: readonly Match[],
  previous: Readonly<Record<string, number>>,
): { match: Match; index: number; current: Record<string, number> } | undefined {
  const best = sorted.filter((match) => compareRanks(match.rank, sorted[0].rank) === 0);
  const peers = [...best]
    .sort((a, b) => compareText(a.instance.id, b.instance.id))
    .map((match) => ({ id: match.instance.id, weight: match.instance.weight }));
  const pick = smoothWeightedPick(peers, previous);
  if (!pick) return undefined;
  const index = sorted.findIndex((match) => match.instance.id === pick.id);
  return { match: sorted[index], index, current: pick.current };
}
