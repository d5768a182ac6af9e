import { FAULT_MODES, FaultMode, SimFault } from './types';

export const DEFAULT_RETRY_AFTER_SECONDS = 1;
export const DEFAULT_SLOW_DELAY_MS = 2000;

export interface ActiveFault {
  mode: FaultMode;
  retryAfterSeconds: number;
  delayMs: number;
}

const NO_FAULT: ActiveFault = { mode: 'none', retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS, delayMs: DEFAULT_SLOW_DELAY_MS };

export function isFaultMode(value: unknown): value is FaultMode {
  return typeof value === 'string' && (FAULT_MODES as readonly string[]).includes(value);
}

/** Returns a problem description, or undefined when `value` is a valid SimFault. */
export function validateFault(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'fault must be an object';
  const fault = value as Record<string, unknown>;
  if (!isFaultMode(fault.mode)) return `mode must be one of ${FAULT_MODES.join(', ')}`;
  if (fault.count !== undefined && !(Number.isInteger(fault.count) && (fault.count as number) > 0)) {
    return 'count must be a positive integer';
  }
  if (fault.callsOnly !== undefined && typeof fault.callsOnly !== 'boolean') return 'callsOnly must be a boolean';
  for (const key of ['retryAfterSeconds', 'delayMs']) {
    const n = fault[key];
    if (n !== undefined && !(typeof n === 'number' && Number.isFinite(n) && n >= 0)) return `${key} must be a number >= 0`;
  }
  return undefined;
}

export function toActiveFault(fault: SimFault): ActiveFault {
  return {
    mode: fault.mode,
    retryAfterSeconds: fault.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
    delayMs: fault.delayMs ?? DEFAULT_SLOW_DELAY_MS,
  };
}

/** The configured fault; `take()` consumes one use of a counted fault. */
export class FaultState {
  private fault: SimFault = { mode: 'none' };
  private remaining: number | undefined;

  set(fault: SimFault): void {
    const problem = validateFault(fault);
    if (problem) throw new TypeError(`invalid fault: ${problem}`);
    this.fault = { ...fault };
    this.remaining = fault.mode === 'none' ? undefined : fault.count;
  }

  clear(): void {
    this.fault = { mode: 'none' };
    this.remaining = undefined;
  }

  current(): SimFault & { remaining?: number } {
    return this.remaining === undefined ? { ...this.fault } : { ...this.fault, remaining: this.remaining };
  }

  /** `listing`: a model listing (GET), which a `callsOnly` fault lets through. */
  take(request: 'call' | 'listing' = 'call'): ActiveFault {
    if (this.fault.mode === 'none') return NO_FAULT;
    if (this.fault.callsOnly && request === 'listing') return NO_FAULT;
    const active = toActiveFault(this.fault);
    if (this.remaining !== undefined) {
      this.remaining -= 1;
      if (this.remaining <= 0) this.clear();
    }
    return active;
  }
}
