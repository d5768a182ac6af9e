import { startOfUtcDay, toLiveTraffic } from './live-traffic';

describe('toLiveTraffic', () => {
  it('derives the rate per second and the error rate from the window counts, rounded to 3 decimals', () => {
    expect(toLiveTraffic({ count: 7, errors: 2, p50: 120.5, p95: 349.4 }, 60)).toEqual({
      windowSeconds: 60,
      count: 7,
      errors: 2,
      perSecond: 0.117,
      errorRate: 0.286,
      p50LatencyMs: 121,
      p95LatencyMs: 349,
    });
  });

  it('answers zero rates and 0 ms for a window without calls (no division by zero, percentiles null)', () => {
    expect(toLiveTraffic({ count: 0, errors: 0, p50: null, p95: null }, 60)).toEqual({
      windowSeconds: 60,
      count: 0,
      errors: 0,
      perSecond: 0,
      errorRate: 0,
      p50LatencyMs: 0,
      p95LatencyMs: 0,
    });
  });
});

describe('startOfUtcDay', () => {
  it('is midnight UTC of the same UTC day, whatever the time', () => {
    expect(startOfUtcDay(new Date('2026-12-03T23:59:59.999Z'))).toEqual(new Date('2026-12-03T00:00:00Z'));
    expect(startOfUtcDay(new Date('2026-12-04T00:00:00Z'))).toEqual(new Date('2026-12-04T00:00:00Z'));
  });
});
