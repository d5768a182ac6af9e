import type { InstanceStatus, ScalingPolicy } from '@ish/contracts';

/** One instance as the standby scaler sees it. */
export interface ScalingPoolMember {
  id: string;
  name: string;
  status: InstanceStatus;
  /** belongs to the standby pool: status `standby` while parked, healthy/degraded while activated */
  standby: boolean;
  priority: number;
  maxConcurrency: number;
  /** calls in flight now, summed over every relay and worker */
  inFlight: number;
}

/** What the scaler remembers between rounds: since when utilization has been past a bound. */
export interface ScalingMemory {
  overSince?: number;
  underSince?: number;
}

export type ScalingDecision =
  | { action: 'hold'; utilization: number; memory: ScalingMemory }
  /** activate the first of `candidates` that proves healthy (parked standby instances, best first) */
  | { action: 'up'; utilization: number; candidates: ScalingPoolMember[]; reason: string; memory: ScalingMemory }
  | { action: 'down'; utilization: number; instance: ScalingPoolMember; reason: string; memory: ScalingMemory };

const ACTIVE: ReadonlySet<InstanceStatus> = new Set(['healthy', 'degraded']);

/** Σ inFlight / Σ maxConcurrency over the active (healthy or degraded) instances; 0 with none. */
export function poolUtilization(pool: readonly ScalingPoolMember[]): number {
  const active = pool.filter((member) => ACTIVE.has(member.status));
  const capacity = active.reduce((sum, member) => sum + Math.max(1, member.maxConcurrency), 0);
  const load = active.reduce((sum, member) => sum + Math.max(0, member.inFlight), 0);
  return capacity > 0 ? load / capacity : 0;
}

function byName(a: ScalingPoolMember, b: ScalingPoolMember): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * One round of the standby scaler. Scale up when utilization stays above scaleUpUtilization (or
 * fewer than minActive instances are active) for cooldownSeconds: the parked standby instances are
 * the candidates, lowest priority number first. Scale down when it stays below
 * scaleDownUtilization for cooldownSeconds and more than minActive are active: the scaler only
 * parks instances of the standby pool it activated (an operator's non-standby instances are never
 * touched), highest priority number first, then the idlest. Every decision restarts the cooldown.
 */
export function decideScaling(pool: readonly ScalingPoolMember[], policy: ScalingPolicy, memory: ScalingMemory, now: number): ScalingDecision {
  const utilization = poolUtilization(pool);
  if (!policy.enabled) return { action: 'hold', utilization, memory: {} };
  const active = pool.filter((member) => ACTIVE.has(member.status));
  const parked = pool.filter((member) => member.status === 'standby').sort((a, b) => a.priority - b.priority || byName(a, b));
  const returnable = active.filter((member) => member.standby).sort((a, b) => b.priority - a.priority || a.inFlight - b.inFlight || byName(b, a));
  const cooldownMs = policy.cooldownSeconds * 1000;
  const held = (seconds: number) => `${Math.round(seconds)} s`;

  const tooFew = active.length < policy.minActive;
  if ((utilization > policy.scaleUpUtilization || tooFew) && parked.length > 0) {
    const overSince = memory.overSince ?? now;
    if (now - overSince < cooldownMs) return { action: 'hold', utilization, memory: { overSince } };
    const reason = tooFew
      ? `${active.length} active instance(s), fewer than minActive ${policy.minActive}, for ${held((now - overSince) / 1000)}`
      : `utilization ${utilization.toFixed(2)} above ${policy.scaleUpUtilization} for ${held((now - overSince) / 1000)}`;
    return { action: 'up', utilization, candidates: parked, reason, memory: {} };
  }
  if (utilization < policy.scaleDownUtilization && active.length > policy.minActive && returnable.length > 0) {
    const underSince = memory.underSince ?? now;
    if (now - underSince < cooldownMs) return { action: 'hold', utilization, memory: { underSince } };
    const reason = `utilization ${utilization.toFixed(2)} below ${policy.scaleDownUtilization} for ${held((now - underSince) / 1000)}`;
    return { action: 'down', utilization, instance: returnable[0], reason, memory: {} };
  }
  return { action: 'hold', utilization, memory: {} };
}
