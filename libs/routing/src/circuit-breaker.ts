import type { CircuitState } from '@ish/contracts';

export interface CircuitConfig {
  /** consecutive failures that open a closed circuit */
  failureThreshold: number;
  /** error rate (0..1) over the passive-health window that opens a closed circuit… */
  errorRateThreshold: number;
  /** …once the window holds at least this many requests */
  minRequestsForRate: number;
  /** how long an open circuit rejects before it lets a trial through */
  openDurationMs: number;
  /** trial requests allowed at once while half_open */
  halfOpenMaxTrials: number;
}

export const DEFAULT_CIRCUIT_CONFIG: Readonly<CircuitConfig> = Object.freeze({
  failureThreshold: 5,
  errorRateThreshold: 0.5,
  minRequestsForRate: 20,
  openDurationMs: 30_000,
  halfOpenMaxTrials: 1,
});

export interface CircuitRecord {
  state: CircuitState;
  consecutiveFailures: number;
  /** epoch ms the circuit last opened */
  openedAt?: number;
  trialsInFlight: number;
  /** epoch ms the last half_open trial was let through */
  lastTrialAt?: number;
}

export interface AttemptDecision {
  allowed: boolean;
  /** the record to keep: open moves to half_open once openDurationMs elapsed; a trial is counted */
  record: CircuitRecord;
}

export const CLOSED_CIRCUIT: Readonly<CircuitRecord> = Object.freeze({ state: 'closed', consecutiveFailures: 0, trialsInFlight: 0 });

function opened(record: CircuitRecord, now: number): CircuitRecord {
  return { state: 'open', consecutiveFailures: record.consecutiveFailures, openedAt: now, trialsInFlight: 0 };
}

/** A call succeeded. half_open → closed; a late success while open changes nothing. */
export function onSuccess(record: CircuitRecord, _now: number, _cfg: CircuitConfig = DEFAULT_CIRCUIT_CONFIG): CircuitRecord {
  switch (record.state) {
    case 'closed':
      return record.consecutiveFailures === 0 ? record : { ...record, consecutiveFailures: 0 };
    case 'half_open':
      return { ...CLOSED_CIRCUIT };
    case 'open':
      // a call that began before the circuit opened proves little; recovery goes through a trial
      return record;
  }
}

/**
 * A call failed. closed → open after `failureThreshold` consecutive failures, or when the window's
 * error rate (including this failure) reaches `errorRateThreshold` over at least
 * `minRequestsForRate` requests; half_open → open again. A late failure while open keeps openedAt.
 */
export function onFailure(
  record: CircuitRecord,
  now: number,
  cfg: CircuitConfig = DEFAULT_CIRCUIT_CONFIG,
  windowErrorRate?: number,
  windowRequests?: number,
): CircuitRecord {
  const failed = { ...record, consecutiveFailures: record.consecutiveFailures + 1 };
  switch (record.state) {
    case 'closed': {
      const tooManyInARow = failed.consecutiveFailures >= cfg.failureThreshold;
      const tooHighARate =
        windowErrorRate !== undefined &&
        windowRequests !== undefined &&
        windowRequests >= cfg.minRequestsForRate &&
        windowErrorRate >= cfg.errorRateThreshold;
      return tooManyInARow || tooHighARate ? opened(failed, now) : failed;
    }
    case 'half_open':
      return opened(failed, now);
    case 'open':
      return failed;
  }
}

/**
 * May a call go to this instance now? closed: yes. open: no, until openDurationMs elapsed — then it
 * turns half_open and this call is its trial. half_open: while fewer than halfOpenMaxTrials trials
 * are in flight. A trial that never reported (its process died) is given up after openDurationMs.
 */
export function canAttempt(record: CircuitRecord, now: number, cfg: CircuitConfig = DEFAULT_CIRCUIT_CONFIG): AttemptDecision {
  switch (record.state) {
    case 'closed':
      return { allowed: true, record };
    case 'open': {
      if (now - (record.openedAt ?? 0) < cfg.openDurationMs) return { allowed: false, record };
      return {
        allowed: true,
        record: { state: 'half_open', consecutiveFailures: record.consecutiveFailures, openedAt: record.openedAt, trialsInFlight: 1, lastTrialAt: now },
      };
    }
    case 'half_open': {
      const stale = record.lastTrialAt === undefined || now - record.lastTrialAt >= cfg.openDurationMs;
      const inFlight = stale ? 0 : record.trialsInFlight;
      if (inFlight >= cfg.halfOpenMaxTrials) return { allowed: false, record };
      return { allowed: true, record: { ...record, trialsInFlight: inFlight + 1, lastTrialAt: now } };
    }
  }
}

/**
 * A permitted call ended with neither verdict (the client went away, the request was invalid):
 * frees its half_open trial slot without judging the instance.
 */
export function releaseAttempt(record: CircuitRecord): CircuitRecord {
  if (record.state !== 'half_open' || record.trialsInFlight === 0) return record;
  return { ...record, trialsInFlight: record.trialsInFlight - 1 };
}

/** The state routing should see now: an open circuit whose time is up already counts as half_open. */
export function effectiveState(record: CircuitRecord, now: number, cfg: CircuitConfig = DEFAULT_CIRCUIT_CONFIG): CircuitState {
  if (record.state === 'open' && now - (record.openedAt ?? 0) >= cfg.openDurationMs) return 'half_open';
  return record.state;
}
