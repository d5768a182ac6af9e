import { ApiError } from '@ish/platform';
import { usageReportRange } from './usage-report-range';

const now = new Date('2026-12-03T12:00:00Z');

describe('usageReportRange', () => {
  it('covers the 30 days before now when neither end is given', () => {
    expect(usageReportRange({}, now)).toEqual({ from: new Date('2026-11-03T12:00:00Z'), to: now });
  });

  it('counts the 30 days back from a given `to`', () => {
    const to = new Date('2026-06-30T00:00:00Z');
    expect(usageReportRange({ to }, now)).toEqual({ from: new Date('2026-05-31T00:00:00Z'), to });
  });

  it('keeps both ends when given, an empty range included', () => {
    const from = new Date('2026-01-01T00:00:00Z');
    expect(usageReportRange({ from, to: from }, now)).toEqual({ from, to: from });
  });

  it('refuses a `from` after `to` with a 400 naming `from`', () => {
    let thrown: unknown;
    try {
      usageReportRange({ from: new Date('2026-12-04T00:00:00Z') }, now);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect((thrown as ApiError).getStatus()).toBe(400);
    expect((thrown as ApiError).toBody()).toEqual({
      error: { type: 'invalid_request_error', code: 'invalid_range', message: 'from must be before to', details: [{ field: 'from', message: 'must be before to' }] },
    });
  });
});
