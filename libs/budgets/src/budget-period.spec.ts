import { budgetWindow, retryAfterSeconds, spendTtlSeconds } from './budget-period';

const at = (iso: string) => new Date(iso);

describe('budgetWindow: UTC periods', () => {
  it('a day runs from UTC midnight to the next, whatever the local zone', () => {
    const window = budgetWindow('day', at('2026-12-03T23:59:59.999Z'));
    expect(window).toEqual({ period: 'day', id: 'day:2026-12-03', start: at('2026-12-03T00:00:00Z'), resetsAt: at('2026-12-04T00:00:00Z') });
    expect(budgetWindow('day', at('2026-12-04T00:00:00Z')).id).toBe('day:2026-12-04');
  });

  it('hands out one read-only window per period for the whole day, a new one after midnight', () => {
    const morning = budgetWindow('month', at('2026-12-03T08:00:00Z'));
    expect(budgetWindow('month', at('2026-12-03T23:59:59.999Z'))).toBe(morning);
    expect(Object.isFrozen(morning)).toBe(true);
    const next = budgetWindow('month', at('2026-12-04T00:00:00Z'));
    expect(next).not.toBe(morning);
    expect(next.id).toBe('month:2026-12');
    expect(budgetWindow('day', Date.parse('2026-12-04T12:00:00Z')).id).toBe('day:2026-12-04');
  });

  it('a week starts on Monday (ISO), Sunday included in the week before it', () => {
    // 2026-11-30 is a Monday
    expect(budgetWindow('week', at('2026-11-30T00:00:00Z'))).toMatchObject({ id: 'week:2026-11-30', start: at('2026-11-30T00:00:00Z'), resetsAt: at('2026-12-07T00:00:00Z') });
    expect(budgetWindow('week', at('2026-12-06T23:59:59Z')).id).toBe('week:2026-11-30');
    expect(budgetWindow('week', at('2026-11-29T12:00:00Z')).id).toBe('week:2026-11-23');
    expect(budgetWindow('week', at('2026-12-07T00:00:00Z')).id).toBe('week:2026-12-07');
  });

  it('a week across a year boundary', () => {
    // 2026-01-01 is a Thursday: its week began on Monday 2025-12-29
    expect(budgetWindow('week', at('2026-01-01T08:00:00Z'))).toMatchObject({ id: 'week:2025-12-29', resetsAt: at('2026-01-05T00:00:00Z') });
  });

  it('a month is a calendar month (December rolls into January, February has 28 or 29 days)', () => {
    expect(budgetWindow('month', at('2026-12-31T23:00:00Z'))).toMatchObject({ id: 'month:2026-12', start: at('2026-12-01T00:00:00Z'), resetsAt: at('2027-01-01T00:00:00Z') });
    expect(budgetWindow('month', at('2028-02-29T10:00:00Z'))).toMatchObject({ id: 'month:2028-02', resetsAt: at('2028-03-01T00:00:00Z') });
  });

  it('total starts at the epoch and never resets', () => {
    expect(budgetWindow('total', at('2026-12-03T10:00:00Z'))).toEqual({ period: 'total', id: 'total', start: new Date(0), resetsAt: null });
  });
});

describe('retryAfterSeconds', () => {
  it('is the whole seconds until the period resets, rounded up', () => {
    const now = at('2026-12-03T23:59:58.200Z');
    expect(retryAfterSeconds(budgetWindow('day', now), now)).toBe(2);
    const monday = at('2026-12-06T00:00:00Z');
    expect(retryAfterSeconds(budgetWindow('week', monday), monday)).toBe(86_400);
  });

  it('is at least 1 second, and none for total', () => {
    const now = at('2026-12-03T23:59:59.999Z');
    expect(retryAfterSeconds(budgetWindow('day', now), now)).toBe(1);
    expect(retryAfterSeconds(budgetWindow('total', now), now)).toBeNull();
  });
});

describe('spendTtlSeconds', () => {
  it('keeps a period counter a day past its reset, total for 35 days', () => {
    const now = at('2026-12-03T12:00:00Z');
    expect(spendTtlSeconds(budgetWindow('day', now), now)).toBe(12 * 3600 + 86_400);
    expect(spendTtlSeconds(budgetWindow('total', now), now)).toBe(35 * 86_400);
  });
});
