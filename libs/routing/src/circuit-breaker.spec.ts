import {
  canAttempt,
  CircuitConfig,
  CircuitRecord,
  CLOSED_CIRCUIT,
  DEFAULT_CIRCUIT_CONFIG,
  effectiveState,
  onFailure,
  onSuccess,
  releaseAttempt,
} from './circuit-breaker';

const CFG: CircuitConfig = { failureThreshold: 3, errorRateThreshold: 0.5, minRequestsForRate: 10, openDurationMs: 1000, halfOpenMaxTrials: 1 };
const T0 = 1_000_000;

function fail(record: CircuitRecord, times: number, now = T0, cfg = CFG): CircuitRecord {
  let next = record;
  for (let i = 0; i < times; i++) next = onFailure(next, now, cfg);
  return next;
}

const open = (at = T0): CircuitRecord => ({ state: 'open', consecutiveFailures: 3, openedAt: at, trialsInFlight: 0 });
const halfOpen = (trials = 1, lastTrialAt = T0 + 1000): CircuitRecord => ({ state: 'half_open', consecutiveFailures: 3, openedAt: T0, trialsInFlight: trials, lastTrialAt });

describe('circuit breaker', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_CIRCUIT_CONFIG).toEqual({ failureThreshold: 5, errorRateThreshold: 0.5, minRequestsForRate: 20, openDurationMs: 30_000, halfOpenMaxTrials: 1 });
    expect(Object.isFrozen(DEFAULT_CIRCUIT_CONFIG)).toBe(true);
  });

  describe('closed', () => {
    it('stays closed below the consecutive-failure threshold', () => {
      expect(fail(CLOSED_CIRCUIT, 2)).toEqual({ state: 'closed', consecutiveFailures: 2, trialsInFlight: 0 });
    });

    it('opens at the threshold, stamping openedAt', () => {
      expect(fail(CLOSED_CIRCUIT, 3, T0 + 5)).toEqual({ state: 'open', consecutiveFailures: 3, openedAt: T0 + 5, trialsInFlight: 0 });
    });

    it('opens after 5 consecutive failures with the defaults', () => {
      expect(fail(CLOSED_CIRCUIT, 4, T0, DEFAULT_CIRCUIT_CONFIG).state).toBe('closed');
      expect(fail(CLOSED_CIRCUIT, 5, T0, DEFAULT_CIRCUIT_CONFIG).state).toBe('open');
    });

    it('counts only consecutive failures: a success resets the count', () => {
      const record = onSuccess(fail(CLOSED_CIRCUIT, 2), T0, CFG);
      expect(record).toEqual({ state: 'closed', consecutiveFailures: 0, trialsInFlight: 0 });
      expect(fail(record, 2).state).toBe('closed');
    });

    it('returns the same record for a success with nothing to reset', () => {
      const record = { ...CLOSED_CIRCUIT };
      expect(onSuccess(record, T0, CFG)).toBe(record);
      expect(onSuccess(record, T0)).toBe(record);
    });

    it('opens on the window error rate once the window holds enough requests', () => {
      expect(onFailure(CLOSED_CIRCUIT, T0, CFG, 0.5, 10).state).toBe('open');
      expect(onFailure(CLOSED_CIRCUIT, T0, CFG, 0.9, 100)).toEqual({ state: 'open', consecutiveFailures: 1, openedAt: T0, trialsInFlight: 0 });
    });

    it('ignores the error rate below minRequestsForRate or below the threshold', () => {
      expect(onFailure(CLOSED_CIRCUIT, T0, CFG, 1, 9).state).toBe('closed');
      expect(onFailure(CLOSED_CIRCUIT, T0, CFG, 0.49, 1000).state).toBe('closed');
      expect(onFailure(CLOSED_CIRCUIT, T0, CFG, 0.9).state).toBe('closed');
      expect(onFailure(CLOSED_CIRCUIT, T0, CFG, undefined, 1000).state).toBe('closed');
    });

    it('uses the default config when none is given', () => {
      expect(onFailure(CLOSED_CIRCUIT, T0, undefined, 0.5, 20).state).toBe('open');
      expect(onFailure(CLOSED_CIRCUIT, T0, undefined, 0.5, 19).state).toBe('closed');
    });

    it('always allows an attempt', () => {
      const record = fail(CLOSED_CIRCUIT, 2);
      expect(canAttempt(record, T0, CFG)).toEqual({ allowed: true, record });
    });
  });

  describe('open', () => {
    it('rejects attempts until openDurationMs has elapsed', () => {
      const record = open();
      expect(canAttempt(record, T0, CFG)).toEqual({ allowed: false, record });
      expect(canAttempt(record, T0 + 999, CFG)).toEqual({ allowed: false, record });
    });

    it('turns half_open after openDurationMs, and the allowed attempt is the trial', () => {
      expect(canAttempt(open(), T0 + 1000, CFG)).toEqual({
        allowed: true,
        record: { state: 'half_open', consecutiveFailures: 3, openedAt: T0, trialsInFlight: 1, lastTrialAt: T0 + 1000 },
      });
    });

    it('uses the default 30 s open duration', () => {
      expect(canAttempt(open(), T0 + 29_999).allowed).toBe(false);
      expect(canAttempt(open(), T0 + 30_000).allowed).toBe(true);
    });

    it('is not extended by late failures of calls that began before it opened', () => {
      const record = onFailure(open(), T0 + 500, CFG);
      expect(record).toEqual({ ...open(), consecutiveFailures: 4 });
      expect(canAttempt(record, T0 + 1000, CFG).allowed).toBe(true);
    });

    it('is not closed by a late success', () => {
      const record = open();
      expect(onSuccess(record, T0 + 10, CFG)).toBe(record);
    });

    it('treats a record without openedAt as long expired', () => {
      expect(canAttempt({ state: 'open', consecutiveFailures: 5, trialsInFlight: 0 }, T0, CFG).allowed).toBe(true);
    });
  });

  describe('half_open', () => {
    it('closes on a success', () => {
      expect(onSuccess(halfOpen(), T0 + 1100, CFG)).toEqual({ state: 'closed', consecutiveFailures: 0, trialsInFlight: 0 });
    });

    it('opens again on a failure, from the time of that failure', () => {
      expect(onFailure(halfOpen(), T0 + 1100, CFG)).toEqual({ state: 'open', consecutiveFailures: 4, openedAt: T0 + 1100, trialsInFlight: 0 });
    });

    it('lets at most halfOpenMaxTrials trials through at once', () => {
      const record = halfOpen(1);
      expect(canAttempt(record, T0 + 1001, CFG)).toEqual({ allowed: false, record });
      const three = { ...CFG, halfOpenMaxTrials: 3 };
      let current = halfOpen(1);
      for (const expected of [true, true, false]) {
        const decision = canAttempt(current, T0 + 1001, three);
        expect(decision.allowed).toBe(expected);
        current = decision.record;
      }
      expect(current.trialsInFlight).toBe(3);
    });

    it('gives up on a trial that never reported after openDurationMs', () => {
      const stuck = halfOpen(1, T0 + 1000);
      expect(canAttempt(stuck, T0 + 1999, CFG).allowed).toBe(false);
      expect(canAttempt(stuck, T0 + 2000, CFG)).toEqual({ allowed: true, record: { ...stuck, trialsInFlight: 1, lastTrialAt: T0 + 2000 } });
      expect(canAttempt({ ...stuck, lastTrialAt: undefined }, T0, CFG).allowed).toBe(true);
    });

    it('frees a trial slot when the trial ends without a verdict', () => {
      const released = releaseAttempt(halfOpen(1));
      expect(released).toEqual({ ...halfOpen(1), trialsInFlight: 0 });
      expect(canAttempt(released, T0 + 1001, CFG).allowed).toBe(true);
    });
  });

  describe('releaseAttempt', () => {
    it('changes nothing outside half_open or without trials', () => {
      const closed = fail(CLOSED_CIRCUIT, 1);
      expect(releaseAttempt(closed)).toBe(closed);
      const opened = open();
      expect(releaseAttempt(opened)).toBe(opened);
      const idle = halfOpen(0);
      expect(releaseAttempt(idle)).toBe(idle);
    });
  });

  describe('effectiveState', () => {
    it('shows an open circuit whose time is up as half_open', () => {
      expect(effectiveState(open(), T0 + 999, CFG)).toBe('open');
      expect(effectiveState(open(), T0 + 1000, CFG)).toBe('half_open');
      expect(effectiveState(open(), T0 + 30_000)).toBe('half_open');
      expect(effectiveState(halfOpen(), T0, CFG)).toBe('half_open');
      expect(effectiveState(CLOSED_CIRCUIT, T0, CFG)).toBe('closed');
    });
  });

  it('walks the whole cycle: closed → open → half_open → open → half_open → closed', () => {
    let record: CircuitRecord = CLOSED_CIRCUIT;
    record = fail(record, 3, T0);
    expect(record.state).toBe('open');
    let decision = canAttempt(record, T0 + 1000, CFG);
    expect(decision).toMatchObject({ allowed: true, record: { state: 'half_open' } });
    record = onFailure(decision.record, T0 + 1200, CFG);
    expect(record).toMatchObject({ state: 'open', openedAt: T0 + 1200 });
    expect(canAttempt(record, T0 + 2100, CFG).allowed).toBe(false);
    decision = canAttempt(record, T0 + 2200, CFG);
    expect(decision.allowed).toBe(true);
    record = onSuccess(decision.record, T0 + 2300, CFG);
    expect(record).toEqual({ state: 'closed', consecutiveFailures: 0, trialsInFlight: 0 });
  });

  it('never modifies the record it is given', () => {
    const records = [CLOSED_CIRCUIT, fail(CLOSED_CIRCUIT, 2), open(), halfOpen(1), halfOpen(0)].map((r) => Object.freeze({ ...r }));
    for (const record of records) {
      for (let now = T0; now <= T0 + 3000; now += 500) {
        onSuccess(record, now, CFG);
        onFailure(record, now, CFG, 0.9, 100);
        canAttempt(record, now, CFG);
        releaseAttempt(record);
      }
    }
    expect(records[1]).toEqual({ state: 'closed', consecutiveFailures: 2, trialsInFlight: 0 });
  });
});
