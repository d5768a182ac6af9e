import { CIRCUIT_STATES, INSTANCE_STATUSES, PROVIDER_TYPES, ROUTING_STRATEGIES, RoutingStrategy } from '@ish/contracts';
import { candidate } from './route-candidate.fixture';
import { aliasedModels, INITIAL_ROUTING_STATE, planRoute, RouteCandidate, RoutePlan, RoutingPolicy, RoutingState } from './select-instance';

const NOW = 1_700_000_000_000;

function ids(plan: RoutePlan): string[] {
  return plan.attempts.map((attempt) => attempt.instance.id);
}

function pairs(plan: RoutePlan): string[] {
  return plan.attempts.map((attempt) => `${attempt.instance.id}:${attempt.model}`);
}

function plan(table: RouteCandidate[], model: string, strategy: RoutingStrategy = 'priority-failover', extra: Partial<RoutingPolicy> = {}) {
  return planRoute(table, { model }, { strategy, ...extra }, INITIAL_ROUTING_STATE, NOW);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

describe('planRoute', () => {
  describe('who can serve', () => {
    it('takes only instances that list the model', () => {
      const table = [candidate('a'), candidate('b', { models: ['gpt-4o-mini'] }), candidate('c', { models: ['x', 'gpt-4o'] })];
      expect(ids(plan(table, 'gpt-4o'))).toEqual(['a', 'c']);
      expect(pairs(plan(table, 'gpt-4o-mini'))).toEqual(['b:gpt-4o-mini']);
    });

    it('gives an empty plan for a model nobody serves', () => {
      expect(plan([candidate('a')], 'claude-sonnet-4').attempts).toEqual([]);
    });

    it('gives an empty plan for an empty table', () => {
      expect(plan([], 'gpt-4o')).toEqual({ attempts: [], state: INITIAL_ROUTING_STATE });
    });

    it.each(['unhealthy', 'disabled', 'standby'] as const)('never routes to a %s instance', (status) => {
      expect(ids(plan([candidate('a', { status }), candidate('b')], 'gpt-4o'))).toEqual(['b']);
    });

    it('gives an empty plan when every instance is unhealthy', () => {
      const table = [candidate('a', { status: 'unhealthy' }), candidate('b', { status: 'disabled' }), candidate('c', { status: 'standby' })];
      for (const strategy of ROUTING_STRATEGIES) {
        const result = plan(table, 'gpt-4o', strategy);
        expect(result.attempts).toEqual([]);
        expect(result.state).toBe(INITIAL_ROUTING_STATE);
      }
    });

    it('puts degraded instances after healthy ones', () => {
      const table = [candidate('a', { status: 'degraded', priority: 0 }), candidate('b', { priority: 5 })];
      expect(ids(plan(table, 'gpt-4o'))).toEqual(['b', 'a']);
    });

    it('routes to degraded instances when nothing healthy is left', () => {
      expect(ids(plan([candidate('a', { status: 'degraded' })], 'gpt-4o'))).toEqual(['a']);
    });

    it('never routes through an open circuit', () => {
      expect(ids(plan([candidate('a', { circuit: 'open' }), candidate('b')], 'gpt-4o'))).toEqual(['b']);
      expect(plan([candidate('a', { circuit: 'open' })], 'gpt-4o').attempts).toEqual([]);
    });

    it('puts half_open circuits after closed ones, even degraded closed ones', () => {
      const table = [
        candidate('half', { circuit: 'half_open', priority: 0 }),
        candidate('degraded', { status: 'degraded', priority: 1 }),
        candidate('closed', { priority: 2 }),
      ];
      expect(ids(plan(table, 'gpt-4o'))).toEqual(['closed', 'degraded', 'half']);
    });

    it('puts saturated instances last instead of dropping them', () => {
      const table = [
        candidate('full', { inFlight: 10, maxConcurrency: 10, priority: 0 }),
        candidate('over', { inFlight: 12, maxConcurrency: 10, priority: 1 }),
        candidate('half', { circuit: 'half_open', priority: 2 }),
        candidate('free', { inFlight: 9, maxConcurrency: 10, priority: 3 }),
      ];
      expect(ids(plan(table, 'gpt-4o'))).toEqual(['free', 'half', 'full', 'over']);
    });

    it('puts rate-limited instances last, after saturated ones, until their time is up', () => {
      const table = [
        candidate('limited', { retryAfterUntil: NOW + 1, priority: 0 }),
        candidate('full', { inFlight: 1, maxConcurrency: 1, priority: 1 }),
        candidate('free', { priority: 2 }),
        candidate('expired', { retryAfterUntil: NOW, priority: 3 }),
      ];
      expect(ids(plan(table, 'gpt-4o'))).toEqual(['free', 'expired', 'full', 'limited']);
    });

    it('reads the clock when no time is given', () => {
      const table = [candidate('limited', { retryAfterUntil: Date.now() + 60_000 }), candidate('free', { priority: 9 })];
      expect(ids(planRoute(table, { model: 'gpt-4o' }, { strategy: 'priority-failover' }))).toEqual(['free', 'limited']);
    });

    it('filters by provider', () => {
      const table = [candidate('o'), candidate('g', { providerType: 'groq' })];
      expect(ids(planRoute(table, { model: 'gpt-4o', provider: 'groq' }, { strategy: 'least-latency' }, INITIAL_ROUTING_STATE, NOW))).toEqual(['g']);
      expect(planRoute(table, { model: 'gpt-4o', provider: 'zai' }, { strategy: 'least-latency' }, INITIAL_ROUTING_STATE, NOW).attempts).toEqual([]);
    });
  });

  describe('model references', () => {
    const table = [
      candidate('openai-1', { models: ['gpt-4o', 'gpt-4o-mini'] }),
      candidate('groq-1', { providerType: 'groq', models: ['openai/gpt-oss-120b', 'llama-3.3-70b-versatile'], priority: 1 }),
      candidate('anthropic-1', { providerType: 'anthropic', models: ['claude-sonnet-4', 'gpt-4o'], priority: 2 }),
    ];

    it('reads provider/model and asks the instance for the bare model', () => {
      expect(pairs(plan(table, 'anthropic/gpt-4o'))).toEqual(['anthropic-1:gpt-4o']);
      expect(pairs(plan(table, 'openai/gpt-4o-mini'))).toEqual(['openai-1:gpt-4o-mini']);
    });

    it('matches a model id that itself contains a provider-like prefix literally', () => {
      expect(pairs(plan(table, 'openai/gpt-oss-120b'))).toEqual(['groq-1:openai/gpt-oss-120b']);
    });

    it('gives an empty plan when provider/model and the provider filter disagree', () => {
      const result = planRoute(table, { model: 'openai/gpt-4o', provider: 'anthropic' }, { strategy: 'least-latency' }, INITIAL_ROUTING_STATE, NOW);
      expect(result.attempts).toEqual([]);
    });

    it('routes auto to every instance with its first model', () => {
      expect(pairs(plan(table, 'auto'))).toEqual(['openai-1:gpt-4o', 'groq-1:openai/gpt-oss-120b', 'anthropic-1:claude-sonnet-4']);
    });

    it('routes provider/auto within that provider', () => {
      expect(pairs(plan(table, 'groq/auto'))).toEqual(['groq-1:openai/gpt-oss-120b']);
    });

    it('honours the provider filter for auto', () => {
      const result = planRoute(table, { model: 'auto', provider: 'anthropic' }, { strategy: 'least-latency' }, INITIAL_ROUTING_STATE, NOW);
      expect(pairs(result)).toEqual(['anthropic-1:claude-sonnet-4']);
    });

    it('trims the requested model', () => {
      expect(ids(plan(table, '  gpt-4o '))).toEqual(['openai-1', 'anthropic-1']);
    });
  });

  describe('catch-all instances (empty models list)', () => {
    it('serve any model, after every instance that lists it', () => {
      const table = [
        candidate('any', { models: [], priority: 0, p50LatencyMs: 1 }),
        candidate('listed', { priority: 9, p50LatencyMs: 900, status: 'degraded', inFlight: 10, maxConcurrency: 10 }),
      ];
      for (const strategy of ROUTING_STRATEGIES) expect(ids(plan(table, 'gpt-4o', strategy))).toEqual(['listed', 'any']);
      expect(pairs(plan(table, 'my-local-model'))).toEqual(['any:my-local-model']);
    });

    it('serve provider/model only when they are of that provider', () => {
      const table = [candidate('local', { providerType: 'openai-compatible', models: [] }), candidate('o', { models: [] })];
      expect(pairs(plan(table, 'openai-compatible/llama3'))).toEqual(['local:llama3']);
      expect(pairs(plan(table, 'openai/llama3'))).toEqual(['o:llama3']);
    });

    it('are not candidates for auto (they have no model to name)', () => {
      expect(plan([candidate('any', { models: [] })], 'auto').attempts).toEqual([]);
    });
  });

  describe('fallbacks', () => {
    const table = [
      candidate('big-1', { models: ['gpt-4o'], priority: 1 }),
      candidate('both', { models: ['gpt-4o', 'gpt-4o-mini'], priority: 2 }),
      candidate('small', { models: ['gpt-4o-mini'], priority: 0 }),
      candidate('tiny', { models: ['gpt-3.5-turbo'], priority: 0 }),
    ];
    const fallbacks = { 'gpt-4o': ['gpt-4o-mini', 'gpt-3.5-turbo'], 'gpt-4o-mini': ['gpt-3.5-turbo'] };

    it('appends the fallback models, in order, after every instance of the requested one', () => {
      expect(pairs(plan(table, 'gpt-4o', 'priority-failover', { fallbacks }))).toEqual([
        'big-1:gpt-4o',
        'both:gpt-4o',
        'small:gpt-4o-mini',
        'both:gpt-4o-mini',
        'tiny:gpt-3.5-turbo',
      ]);
    });

    it('are not transitive', () => {
      expect(pairs(plan(table, 'gpt-4o', 'priority-failover', { fallbacks: { 'gpt-4o': ['gpt-4o-mini'], 'gpt-4o-mini': ['gpt-3.5-turbo'] } }))).toEqual([
        'big-1:gpt-4o',
        'both:gpt-4o',
        'small:gpt-4o-mini',
        'both:gpt-4o-mini',
      ]);
    });

    it('serve the request when the model itself has no routable instance', () => {
      const down = table.map((instance) => (instance.models.includes('gpt-4o') ? { ...instance, status: 'unhealthy' as const } : instance));
      expect(pairs(plan(down, 'gpt-4o', 'priority-failover', { fallbacks }))).toEqual(['small:gpt-4o-mini', 'tiny:gpt-3.5-turbo']);
    });

    it('skip duplicates and the requested model itself', () => {
      const result = plan(table, 'gpt-4o', 'priority-failover', { fallbacks: { 'gpt-4o': ['gpt-4o', ' gpt-4o-mini', 'gpt-4o-mini', ''] } });
      expect(pairs(result)).toEqual(['big-1:gpt-4o', 'both:gpt-4o', 'small:gpt-4o-mini', 'both:gpt-4o-mini']);
    });

    it('are found for provider/model by the bare model too', () => {
      expect(pairs(plan(table, 'openai/gpt-4o', 'priority-failover', { fallbacks: { 'gpt-4o': ['gpt-3.5-turbo'] } }))).toEqual([
        'big-1:gpt-4o',
        'both:gpt-4o',
        'tiny:gpt-3.5-turbo',
      ]);
    });

    it('keep the provider filter', () => {
      const mixed = [candidate('o', { models: ['gpt-4o'] }), candidate('g', { providerType: 'groq', models: ['llama-3.1-8b-instant'] })];
      const result = planRoute(
        mixed,
        { model: 'gpt-4o', provider: 'openai' },
        { strategy: 'least-latency', fallbacks: { 'gpt-4o': ['llama-3.1-8b-instant'] } },
        INITIAL_ROUTING_STATE,
        NOW,
      );
      expect(ids(result)).toEqual(['o']);
    });

    it('ignore inherited object keys', () => {
      expect(pairs(plan([candidate('a', { models: ['constructor'] })], 'constructor', 'priority-failover', { fallbacks: {} }))).toEqual(['a:constructor']);
    });
  });

  describe('aliases', () => {
    const table = [
      candidate('big', { models: ['gpt-4o'], priority: 0 }),
      candidate('small', { models: ['gpt-4o-mini'], priority: 0 }),
      candidate('tiny', { models: ['gpt-3.5-turbo'], priority: 0 }),
      candidate('any', { models: [] }),
    ];
    const aliases = { smart: ['gpt-4o', 'gpt-4o-mini'] };

    it('route an alias to its first model, the rest of its list as failover in order', () => {
      expect(pairs(plan(table, 'smart', 'priority-failover', { aliases }))).toEqual(['big:gpt-4o', 'any:gpt-4o', 'small:gpt-4o-mini', 'any:gpt-4o-mini']);
      expect(pairs(plan(table, ' smart ', 'priority-failover', { aliases: { smart: [' gpt-4o-mini'] } }))).toEqual(['small:gpt-4o-mini', 'any:gpt-4o-mini']);
    });

    it('answer with the next model when no healthy instance serves the first', () => {
      const down = table.map((instance) => (instance.id === 'big' || instance.id === 'any' ? { ...instance, status: 'unhealthy' as const } : instance));
      expect(pairs(plan(down, 'smart', 'priority-failover', { aliases }))).toEqual(['small:gpt-4o-mini']);
    });

    it('never send the alias itself upstream, not even to a catch-all instance', () => {
      expect(plan(table, 'smart', 'priority-failover', { aliases }).attempts.map((attempt) => attempt.model)).not.toContain('smart');
      expect(pairs(plan(table, 'smart', 'priority-failover', { aliases: { smart: ['claude-sonnet-4'] } }))).toEqual(['any:claude-sonnet-4']);
    });

    it("try the policy's fallbacks of each model after every model of the alias", () => {
      const fallbacks = { 'gpt-4o': ['gpt-3.5-turbo'], 'gpt-4o-mini': ['gpt-4o'] };
      const served = table.filter((instance) => instance.id !== 'any');
      expect(pairs(plan(served, 'smart', 'priority-failover', { aliases, fallbacks }))).toEqual(['big:gpt-4o', 'small:gpt-4o-mini', 'tiny:gpt-3.5-turbo']);
    });

    it('leave a model that is no alias as it is, and ignore inherited object keys', () => {
      const served = table.filter((instance) => instance.id !== 'any');
      expect(pairs(plan(served, 'gpt-4o', 'priority-failover', { aliases }))).toEqual(['big:gpt-4o']);
      expect(pairs(plan([candidate('a', { models: ['constructor'] })], 'constructor', 'priority-failover', { aliases: {} }))).toEqual(['a:constructor']);
    });

    it('are resolved by aliasedModels for the callers that check a model before routing', () => {
      expect(aliasedModels(' smart', aliases)).toEqual(['gpt-4o', 'gpt-4o-mini']);
      expect(aliasedModels('gpt-4o', aliases)).toBeUndefined();
      expect(aliasedModels('toString', {})).toBeUndefined();
      expect(aliasedModels('smart', undefined)).toBeUndefined();
    });
  });

  describe('least-latency', () => {
    it('orders by p50 latency', () => {
      const table = [candidate('slow', { p50LatencyMs: 900 }), candidate('fast', { p50LatencyMs: 50 }), candidate('mid', { p50LatencyMs: 300 })];
      expect(ids(plan(table, 'gpt-4o', 'least-latency'))).toEqual(['fast', 'mid', 'slow']);
    });

    it('breaks ties by priority, then name, then id', () => {
      const table = [
        candidate('b', { id: 'id-1', p50LatencyMs: 100, priority: 1 }),
        candidate('b', { id: 'id-0', p50LatencyMs: 100, priority: 1 }),
        candidate('a', { id: 'id-9', p50LatencyMs: 100, priority: 1 }),
        candidate('z', { id: 'id-5', p50LatencyMs: 100, priority: 0 }),
      ];
      expect(ids(plan(table, 'gpt-4o', 'least-latency'))).toEqual(['id-5', 'id-9', 'id-0', 'id-1']);
    });

    it('ranks health above latency', () => {
      const table = [candidate('fast-degraded', { p50LatencyMs: 1, status: 'degraded' }), candidate('slow', { p50LatencyMs: 5000 })];
      expect(ids(plan(table, 'gpt-4o', 'least-latency'))).toEqual(['slow', 'fast-degraded']);
    });
  });

  describe('least-connections', () => {
    it('orders by in-flight share of max concurrency', () => {
      const table = [
        candidate('half', { inFlight: 5, maxConcurrency: 10 }),
        candidate('quarter', { inFlight: 5, maxConcurrency: 20 }),
        candidate('idle', { inFlight: 0, maxConcurrency: 1 }),
      ];
      expect(ids(plan(table, 'gpt-4o', 'least-connections'))).toEqual(['idle', 'quarter', 'half']);
    });

    it('breaks ties by priority, then id', () => {
      const table = [
        candidate('c', { inFlight: 1, maxConcurrency: 4, priority: 1 }),
        candidate('b', { inFlight: 2, maxConcurrency: 8, priority: 1 }),
        candidate('a', { inFlight: 1, maxConcurrency: 4, priority: 2 }),
      ];
      expect(ids(plan(table, 'gpt-4o', 'least-connections'))).toEqual(['b', 'c', 'a']);
    });
  });

  describe('priority-failover', () => {
    it('orders by priority number, then weight descending, then id', () => {
      const table = [
        candidate('p2', { priority: 2 }),
        candidate('p1-light', { priority: 1, weight: 1 }),
        candidate('p1-heavy', { priority: 1, weight: 5 }),
        candidate('p1-heavy-b', { id: 'b', priority: 1, weight: 5 }),
        candidate('p0', { priority: 0 }),
        candidate('neg', { priority: -1 }),
      ];
      expect(ids(plan(table, 'gpt-4o', 'priority-failover'))).toEqual(['neg', 'p0', 'b', 'p1-heavy', 'p1-light', 'p2']);
    });

    it('is deterministic whatever the table order', () => {
      const table = [candidate('a', { priority: 1 }), candidate('b', { priority: 1 }), candidate('c', { priority: 0 })];
      expect(ids(plan([...table].reverse(), 'gpt-4o'))).toEqual(ids(plan(table, 'gpt-4o')));
    });
  });

  describe('weighted-round-robin', () => {
    const policy: RoutingPolicy = { strategy: 'weighted-round-robin' };

    function firstPicks(table: RouteCandidate[], picks: number, model = 'gpt-4o'): string[] {
      let state: RoutingState = INITIAL_ROUTING_STATE;
      const chosen: string[] = [];
      for (let i = 0; i < picks; i++) {
        const result = planRoute(table, { model }, policy, state, NOW);
        chosen.push(result.attempts[0].instance.id);
        state = result.state;
      }
      return chosen;
    }

    function count(chosen: string[]): Record<string, number> {
      const counts: Record<string, number> = {};
      for (const id of chosen) counts[id] = (counts[id] ?? 0) + 1;
      return counts;
    }

    it('matches the weights exactly over 1000 picks', () => {
      const table = [candidate('a', { weight: 5 }), candidate('b', { weight: 3 }), candidate('c', { weight: 2 })];
      expect(count(firstPicks(table, 1000))).toEqual({ a: 500, b: 300, c: 200 });
    });

    it('matches the weights exactly in every cycle of sum(weights) picks', () => {
      const table = [candidate('a', { weight: 7 }), candidate('b', { weight: 2 }), candidate('c', { weight: 1 }), candidate('d', { weight: 3 })];
      const chosen = firstPicks(table, 13 * 20);
      for (let cycle = 0; cycle < 20; cycle++) expect(count(chosen.slice(cycle * 13, cycle * 13 + 13))).toEqual({ a: 7, b: 2, c: 1, d: 3 });
    });

    it('interleaves rather than bursts', () => {
      const table = [candidate('a', { weight: 5 }), candidate('b', { weight: 1 }), candidate('c', { weight: 1 })];
      expect(firstPicks(table, 7).join(' ')).toBe('a a b a c a a');
    });

    it('lists the other instances after the pick, by weight', () => {
      const table = [candidate('a', { weight: 1 }), candidate('b', { weight: 3 }), candidate('c', { weight: 2 })];
      const first = planRoute(table, { model: 'gpt-4o' }, policy, INITIAL_ROUTING_STATE, NOW);
      expect(ids(first)).toEqual(['b', 'c', 'a']);
      const second = planRoute(table, { model: 'gpt-4o' }, policy, first.state, NOW);
      expect(ids(second)).toEqual(['c', 'b', 'a']);
    });

    it('never picks a weight-0 instance unless nothing else can serve', () => {
      const table = [candidate('zero', { weight: 0 }), candidate('one', { weight: 1 })];
      expect(new Set(firstPicks(table, 50))).toEqual(new Set(['one']));
      expect(ids(plan(table, 'gpt-4o', 'weighted-round-robin'))).toEqual(['one', 'zero']);
      expect(firstPicks([candidate('zero', { weight: 0 })], 3)).toEqual(['zero', 'zero', 'zero']);
      const saturatedOthers = [candidate('zero', { weight: 0 }), candidate('full', { weight: 5, inFlight: 10 })];
      expect(ids(plan(saturatedOthers, 'gpt-4o', 'weighted-round-robin'))).toEqual(['zero', 'full']);
    });

    it('balances only across the best rank: degraded instances never take a share while a healthy one serves', () => {
      const table = [candidate('h1', { weight: 1 }), candidate('h2', { weight: 1 }), candidate('d', { weight: 100, status: 'degraded' })];
      expect(count(firstPicks(table, 10))).toEqual({ h1: 5, h2: 5 });
    });

    it('balances among saturated instances when all are saturated', () => {
      const table = [candidate('a', { weight: 1, inFlight: 10 }), candidate('b', { weight: 1, inFlight: 10 })];
      expect(count(firstPicks(table, 4))).toEqual({ a: 2, b: 2 });
    });

    it('keeps a separate rotation per model and provider filter', () => {
      const table = [candidate('a', { weight: 1, models: ['m1', 'm2'] }), candidate('b', { weight: 1, models: ['m1', 'm2'] })];
      let state = INITIAL_ROUTING_STATE;
      const picks: string[] = [];
      for (const model of ['m1', 'm2', 'm1', 'm2']) {
        const result = planRoute(table, { model }, policy, state, NOW);
        picks.push(`${model}:${result.attempts[0].instance.id}`);
        state = result.state;
      }
      expect(picks).toEqual(['m1:a', 'm2:a', 'm1:b', 'm2:b']);
      const filtered = planRoute(table, { model: 'm1', provider: 'openai' }, policy, state, NOW);
      expect(filtered.attempts[0].instance.id).toBe('a');
      expect(Object.keys(filtered.state.wrrCurrentWeights)).toHaveLength(3);
    });

    it('advances the rotation of a fallback model when it serves the request', () => {
      const table = [candidate('a', { weight: 1, models: ['small'] }), candidate('b', { weight: 1, models: ['small'] })];
      const fallbackPolicy: RoutingPolicy = { strategy: 'weighted-round-robin', fallbacks: { big: ['small'] } };
      const first = planRoute(table, { model: 'big' }, fallbackPolicy, INITIAL_ROUTING_STATE, NOW);
      const second = planRoute(table, { model: 'big' }, fallbackPolicy, first.state, NOW);
      expect([first.attempts[0].instance.id, second.attempts[0].instance.id]).toEqual(['a', 'b']);
    });

    it('does not advance fallback rotations when the requested model is served', () => {
      const table = [candidate('a', { weight: 1, models: ['big', 'small'] }), candidate('b', { weight: 1, models: ['small'] })];
      const result = planRoute(table, { model: 'big' }, { strategy: 'weighted-round-robin', fallbacks: { big: ['small'] } }, INITIAL_ROUTING_STATE, NOW);
      expect(Object.keys(result.state.wrrCurrentWeights)).toEqual(['*\u0000big']);
      expect(pairs(result)).toEqual(['a:big', 'a:small', 'b:small']);
    });

    it('forgets instances that left the table', () => {
      const before = planRoute([candidate('a'), candidate('gone')], { model: 'gpt-4o' }, policy, INITIAL_ROUTING_STATE, NOW);
      const after = planRoute([candidate('a')], { model: 'gpt-4o' }, policy, before.state, NOW);
      expect(Object.keys(after.state.wrrCurrentWeights['*\u0000gpt-4o'])).toEqual(['a']);
    });
  });

  describe('purity', () => {
    it('never modifies the table, request, policy or state', () => {
      const table = deepFreeze([
        candidate('a', { weight: 3, models: ['gpt-4o', 'gpt-4o-mini'] }),
        candidate('b', { weight: 1, status: 'degraded' }),
        candidate('c', { weight: 2, circuit: 'half_open', models: [] }),
      ]);
      const request = deepFreeze({ model: 'gpt-4o' });
      const policy = deepFreeze<RoutingPolicy>({ strategy: 'weighted-round-robin', fallbacks: { 'gpt-4o': ['gpt-4o-mini'] } });
      const snapshot = structuredClone({ table, request, policy });
      let state: RoutingState = deepFreeze({ wrrCurrentWeights: { '*\u0000gpt-4o': { a: 2, b: -2 } } });
      for (let i = 0; i < 20; i++) {
        const stateBefore = structuredClone(state);
        const result = planRoute(table, request, policy, state, NOW);
        expect(state).toEqual(stateBefore);
        state = deepFreeze(result.state);
      }
      expect({ table, request, policy }).toEqual(snapshot);
    });

    it('returns the same state object for strategies without rotation', () => {
      const state = deepFreeze({ wrrCurrentWeights: { x: { a: 1 } } });
      for (const strategy of ROUTING_STRATEGIES.filter((s) => s !== 'weighted-round-robin')) {
        expect(planRoute([candidate('a')], { model: 'gpt-4o' }, { strategy }, state, NOW).state).toBe(state);
      }
    });

    it('gives the same plan for the same inputs', () => {
      const table = [candidate('a', { p50LatencyMs: 10 }), candidate('b', { p50LatencyMs: 10 }), candidate('c', { p50LatencyMs: 5, status: 'degraded' })];
      for (const strategy of ROUTING_STRATEGIES) expect(plan(table, 'gpt-4o', strategy)).toEqual(plan(table, 'gpt-4o', strategy));
    });
  });

  describe('properties over random tables', () => {
    function random(seed: number): () => number {
      let state = seed >>> 0;
      return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }
    const MODELS = ['m1', 'm2', 'm3', 'openai/m4'];
    const pickOne = <T>(rand: () => number, values: readonly T[]): T => values[Math.floor(rand() * values.length)];

    function randomTable(rand: () => number): RouteCandidate[] {
      const size = Math.floor(rand() * 12);
      return Array.from({ length: size }, (_, i) =>
        candidate(`n${Math.floor(rand() * 4)}`, {
          id: `i${i}`,
          providerType: pickOne(rand, PROVIDER_TYPES),
          models: MODELS.filter(() => rand() < 0.4),
          weight: Math.floor(rand() * 4),
          priority: Math.floor(rand() * 3),
          maxConcurrency: 1 + Math.floor(rand() * 4),
          inFlight: Math.floor(rand() * 6),
          status: rand() < 0.6 ? pickOne(rand, ['healthy', 'degraded'] as const) : pickOne(rand, INSTANCE_STATUSES),
          circuit: rand() < 0.6 ? 'closed' : pickOne(rand, CIRCUIT_STATES),
          p50LatencyMs: Math.floor(rand() * 5) * 100,
          ...(rand() < 0.2 ? { retryAfterUntil: NOW + (rand() < 0.5 ? 1000 : -1000) } : {}),
        }),
      );
    }

    function serves(instance: RouteCandidate, model: string, asked: string): boolean {
      if (model === 'auto') return instance.models[0] === asked;
      if (instance.models.length === 0) return asked === model.replace(/^openai\//, '') && (!model.startsWith('openai/') || instance.providerType === 'openai');
      if (model.startsWith('openai/') && instance.models.includes(model)) return asked === model;
      return instance.models.includes(asked) && (asked === model || (instance.providerType === 'openai' && `openai/${asked}` === model));
    }

    it('every attempt is routable, serves its model, and appears once; every routable server appears', () => {
      const rand = random(20240601);
      let nonEmpty = 0;
      for (let run = 0; run < 1500; run++) {
        const table = randomTable(rand);
        const model = pickOne(rand, [...MODELS, 'auto']);
        const provider = rand() < 0.25 ? pickOne(rand, PROVIDER_TYPES) : undefined;
        const strategy = pickOne(rand, ROUTING_STRATEGIES);
        const snapshot = structuredClone(table);
        const result = planRoute(table, { model, provider }, { strategy }, INITIAL_ROUTING_STATE, NOW);

        expect(table).toEqual(snapshot);
        const keys = pairs(result);
        expect(new Set(keys).size).toBe(keys.length);
        for (const { instance, model: asked } of result.attempts) {
          expect(table).toContain(instance);
          expect(['healthy', 'degraded']).toContain(instance.status);
          expect(instance.circuit).not.toBe('open');
          if (provider) expect(instance.providerType).toBe(provider);
          expect(serves(instance, model, asked)).toBe(true);
        }
        const routable = table.filter(
          (instance) =>
            ['healthy', 'degraded'].includes(instance.status) &&
            instance.circuit !== 'open' &&
            (!provider || instance.providerType === provider) &&
            (model === 'auto'
              ? instance.models.length > 0
              : instance.models.length === 0
                ? !model.startsWith('openai/') || instance.providerType === 'openai'
                : instance.models.includes(model) || (instance.providerType === 'openai' && instance.models.includes(model.replace(/^openai\//, '')))),
        );
        expect(new Set(ids(result))).toEqual(new Set(routable.map((instance) => instance.id)));
        if (result.attempts.length > 1) nonEmpty++;
      }
      expect(nonEmpty).toBeGreaterThan(300);
    });

    it('never puts a saturated or rate-limited instance before a free one, nor degraded before healthy among the free', () => {
      const rand = random(7);
      for (let run = 0; run < 1500; run++) {
        const table = randomTable(rand).map((instance) => ({ ...instance, models: ['m1'] }));
        const strategy = pickOne(rand, ROUTING_STRATEGIES);
        const attempts = planRoute(table, { model: 'm1' }, { strategy }, INITIAL_ROUTING_STATE, NOW).attempts.map((a) => a.instance);
        const busy = (instance: RouteCandidate) => instance.inFlight >= instance.maxConcurrency || (instance.retryAfterUntil ?? 0) > NOW;
        const zero = (instance: RouteCandidate) => strategy === 'weighted-round-robin' && instance.weight === 0;
        const rank = (instance: RouteCandidate) =>
          (busy(instance) ? 1000 : 0) + (zero(instance) && !busy(instance) ? 100 : 0) + (instance.circuit === 'half_open' ? 10 : 0) + (instance.status === 'degraded' ? 1 : 0);
        for (let i = 1; i < attempts.length; i++) {
          if (busy(attempts[i - 1])) continue;
          expect(rank(attempts[i - 1])).toBeLessThanOrEqual(rank(attempts[i]));
        }
      }
    });
  });
});
