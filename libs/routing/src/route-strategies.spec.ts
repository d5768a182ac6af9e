import type { RoutingStrategy } from '@ish/contracts';
import { candidate } from './route-candidate.fixture';
import { INITIAL_ROUTING_STATE, planRoute, RouteCandidate, RoutingState } from './select-instance';

// Edge cases of each strategy against what the instance-manager feeds the table: p50 0 for an
// instance without recent traffic, and standby instances the scaler activated (status healthy).
const NOW = 1_700_000_000_000;

function order(table: RouteCandidate[], strategy: RoutingStrategy, state: RoutingState = INITIAL_ROUTING_STATE) {
  const plan = planRoute(table, { model: 'gpt-4o' }, { strategy }, state, NOW);
  return { ids: plan.attempts.map((attempt) => attempt.instance.id), state: plan.state };
}

describe('routing strategies, edge cases', () => {
  it('least-latency tries an instance without recent traffic (p50 0) first, so it gets measured', () => {
    expect(order([candidate('known', { p50LatencyMs: 40 }), candidate('unmeasured', { p50LatencyMs: 0 })], 'least-latency').ids).toEqual(['unmeasured', 'known']);
  });

  it('least-latency ignores load short of saturation', () => {
    const table = [candidate('fast-busy', { p50LatencyMs: 50, inFlight: 9, maxConcurrency: 10 }), candidate('slow-idle', { p50LatencyMs: 500 })];
    expect(order(table, 'least-latency').ids).toEqual(['fast-busy', 'slow-idle']);
  });

  it('least-connections ignores latency and priority while loads differ', () => {
    const table = [candidate('fast-first', { p50LatencyMs: 1, priority: 0, inFlight: 3 }), candidate('slow-last', { p50LatencyMs: 9000, priority: 9, inFlight: 1 })];
    expect(order(table, 'least-connections').ids).toEqual(['slow-last', 'fast-first']);
  });

  it('priority-failover ignores latency and load short of saturation', () => {
    const table = [candidate('backup', { priority: 1, p50LatencyMs: 10 }), candidate('primary', { priority: 0, p50LatencyMs: 5000, inFlight: 9, maxConcurrency: 10 })];
    expect(order(table, 'priority-failover').ids).toEqual(['primary', 'backup']);
  });

  it('priority-failover moves to the backup once the primary is saturated', () => {
    const table = [candidate('backup', { priority: 1 }), candidate('primary', { priority: 0, inFlight: 10, maxConcurrency: 10 })];
    expect(order(table, 'priority-failover').ids).toEqual(['backup', 'primary']);
  });

  it('weighted-round-robin gives an instance that joined the table (activated from standby) its share at once', () => {
    let state = order([candidate('a', { weight: 1 })], 'weighted-round-robin').state;
    const table = [candidate('a', { weight: 1 }), candidate('activated', { weight: 1 })];
    const firsts: string[] = [];
    for (let i = 0; i < 4; i++) {
      const next = order(table, 'weighted-round-robin', state);
      firsts.push(next.ids[0]);
      state = next.state;
    }
    expect(firsts.filter((id) => id === 'activated')).toHaveLength(2);
  });

  it.each(['least-latency', 'least-connections', 'weighted-round-robin', 'priority-failover'] as const)('%s keeps every routable instance in the plan as failover', (strategy) => {
    const table = [candidate('a', { p50LatencyMs: 10 }), candidate('b', { p50LatencyMs: 20, inFlight: 10, maxConcurrency: 10 }), candidate('c', { status: 'degraded' }), candidate('d', { circuit: 'half_open' })];
    expect(order(table, strategy).ids.sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});
