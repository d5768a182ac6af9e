import { NO_TRAFFIC, toInstanceTraffic } from './instance-traffic';

describe('toInstanceTraffic', () => {
  it('rounds the percentiles PostgreSQL interpolates to whole milliseconds', () => {
    expect(toInstanceTraffic({ id: 'a', requests: 4, errors: 1, p50: 120.5, p95: 349.4 })).toEqual({ requests: 4, errors: 1, p50LatencyMs: 121, p95LatencyMs: 349 });
  });

  it('answers 0 ms when the window holds no successful call (percentiles are null)', () => {
    expect(toInstanceTraffic({ id: 'a', requests: 3, errors: 3, p50: null, p95: null })).toEqual({ requests: 3, errors: 3, p50LatencyMs: 0, p95LatencyMs: 0 });
  });

  it('has frozen zero figures for an instance without traffic', () => {
    expect(NO_TRAFFIC).toEqual({ requests: 0, errors: 0, p50LatencyMs: 0, p95LatencyMs: 0 });
    expect(Object.isFrozen(NO_TRAFFIC)).toBe(true);
  });
});
