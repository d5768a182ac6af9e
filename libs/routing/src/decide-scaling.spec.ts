import type { ScalingPolicy } from '@ish/contracts';
import { decideScaling, poolUtilization, ScalingPoolMember } from './decide-scaling';

const policy: ScalingPolicy = { enabled: true, scaleUpUtilization: 0.8, scaleDownUtilization: 0.3, cooldownSeconds: 10, minActive: 1 };
const T0 = 1_700_000_000_000;

function member(name: string, overrides: Partial<ScalingPoolMember> = {}): ScalingPoolMember {
  return { id: name, name, status: 'healthy', standby: false, priority: 0, maxConcurrency: 10, inFlight: 0, ...overrides };
}

describe('poolUtilization', () => {
  it('divides what is in flight by the capacity of the active instances only', () => {
    const pool = [
      member('a', { inFlight: 5 }),
      member('b', { inFlight: 3, status: 'degraded' }),
      member('down', { inFlight: 10, status: 'unhealthy' }),
      member('off', { inFlight: 10, status: 'disabled' }),
      member('parked', { status: 'standby', standby: true }),
    ];
    expect(poolUtilization(pool)).toBeCloseTo(0.4);
  });

  it('is 0 without active instances', () => {
    expect(poolUtilization([member('parked', { status: 'standby', standby: true })])).toBe(0);
  });
});

describe('decideScaling', () => {
  const busy = [member('a', { inFlight: 9 }), member('s2', { status: 'standby', standby: true, priority: 2 }), member('s1', { status: 'standby', standby: true, priority: 1 })];

  it('does nothing while disabled, and forgets what it was waiting for', () => {
    expect(decideScaling(busy, { ...policy, enabled: false }, { overSince: T0 - 60_000 }, T0)).toEqual({ action: 'hold', utilization: 0.9, memory: {} });
  });

  it('scales up only once utilization stayed above the bound for the cooldown, best standby first', () => {
    const first = decideScaling(busy, policy, {}, T0);
    expect(first).toEqual({ action: 'hold', utilization: 0.9, memory: { overSince: T0 } });
    expect(decideScaling(busy, policy, first.memory, T0 + 9_999).action).toBe('hold');
    const decision = decideScaling(busy, policy, first.memory, T0 + 10_000);
    expect(decision).toMatchObject({ action: 'up', reason: 'utilization 0.90 above 0.8 for 10 s', memory: {} });
    expect(decision.action === 'up' && decision.candidates.map((c) => c.name)).toEqual(['s1', 's2']);
  });

  it('starts the cooldown over when utilization drops back in between', () => {
    const over = decideScaling(busy, policy, {}, T0);
    const calm = decideScaling([member('a', { inFlight: 5 }), ...busy.slice(1)], policy, over.memory, T0 + 5_000);
    expect(calm).toEqual({ action: 'hold', utilization: 0.5, memory: {} });
    expect(decideScaling(busy, policy, calm.memory, T0 + 10_000)).toMatchObject({ action: 'hold', memory: { overSince: T0 + 10_000 } });
  });

  it('does not count utilization exactly at a bound as past it', () => {
    expect(decideScaling([member('a', { inFlight: 8 }), busy[1]], { ...policy, cooldownSeconds: 0 }, {}, T0).action).toBe('hold');
    expect(decideScaling([member('a', { inFlight: 6 }), member('s', { standby: true })], { ...policy, cooldownSeconds: 0 }, {}, T0).action).toBe('hold');
  });

  it('holds when there is nothing to activate', () => {
    expect(decideScaling([member('a', { inFlight: 10 })], { ...policy, cooldownSeconds: 0 }, {}, T0).action).toBe('hold');
  });

  it('activates a standby instance when fewer than minActive are active, even without load', () => {
    const pool = [member('a', { status: 'unhealthy' }), member('s', { status: 'standby', standby: true })];
    expect(decideScaling(pool, { ...policy, cooldownSeconds: 0 }, {}, T0)).toMatchObject({ action: 'up', reason: expect.stringMatching(/fewer than minActive 1/) });
  });

  it('returns an activated standby instance after utilization stayed below the bound for the cooldown', () => {
    const quiet = [member('a', { inFlight: 1 }), member('s1', { standby: true, priority: 1 }), member('s2', { standby: true, priority: 2, inFlight: 1 })];
    const first = decideScaling(quiet, policy, {}, T0);
    expect(first).toMatchObject({ action: 'hold', memory: { underSince: T0 } });
    const decision = decideScaling(quiet, policy, first.memory, T0 + 10_000);
    expect(decision).toMatchObject({ action: 'down', reason: 'utilization 0.07 below 0.3 for 10 s', memory: {} });
    expect(decision.action === 'down' && decision.instance.name).toBe('s2');
  });

  it('picks the idlest among activated instances of equal priority', () => {
    const quiet = [member('a'), member('s1', { standby: true, inFlight: 2 }), member('s2', { standby: true })];
    const decision = decideScaling(quiet, { ...policy, cooldownSeconds: 0 }, {}, T0);
    expect(decision.action === 'down' && decision.instance.name).toBe('s2');
  });

  it('never parks an instance the operator keeps active, nor goes below minActive', () => {
    expect(decideScaling([member('a'), member('b')], { ...policy, cooldownSeconds: 0 }, {}, T0).action).toBe('hold');
    expect(decideScaling([member('a'), member('s', { standby: true })], { ...policy, cooldownSeconds: 0, minActive: 2 }, {}, T0).action).toBe('hold');
    expect(decideScaling([member('s', { standby: true })], { ...policy, cooldownSeconds: 0, minActive: 0 }, {}, T0).action).toBe('down');
  });
});
