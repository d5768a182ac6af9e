import { ApiError } from '@ish/platform';
import { toUsageSeries, usageBuckets } from './usage-series';

const at = (iso: string) => new Date(iso);

describe('usageBuckets', () => {
  it('rounds from down and to up to whole hours', () => {
    expect(usageBuckets({ from: at('2026-12-01T10:20:00Z'), to: at('2026-12-01T12:05:00Z') }, 'hour', 100)).toEqual({
      from: at('2026-12-01T10:00:00Z'),
      to: at('2026-12-01T13:00:00Z'),
      points: 3,
    });
  });

  it('rounds to whole UTC days', () => {
    expect(usageBuckets({ from: at('2026-11-03T12:00:00Z'), to: at('2026-12-03T12:00:00Z') }, 'day', 100)).toEqual({
      from: at('2026-11-03T00:00:00Z'),
      to: at('2026-12-04T00:00:00Z'),
      points: 31,
    });
  });

  it('covers one bucket when from equals to', () => {
    const t = at('2026-12-01T10:00:00Z');
    expect(usageBuckets({ from: t, to: t }, 'hour', 100).points).toBe(1);
  });

  it('accepts exactly maxPoints buckets and refuses one more with a 400 naming from', () => {
    const from = at('2026-11-01T00:00:00Z');
    expect(usageBuckets({ from, to: at('2026-12-01T00:00:00Z') }, 'hour', 720).points).toBe(720);
    let thrown: unknown;
    try {
      usageBuckets({ from, to: at('2026-12-01T00:00:01Z') }, 'hour', 720);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    const body = (thrown as ApiError).toBody().error;
    expect((thrown as ApiError).getStatus()).toBe(400);
    expect(body).toMatchObject({ code: 'too_many_points', param: 'from', details: [{ field: 'from' }] });
  });
});

describe('toUsageSeries', () => {
  const range = { from: at('2026-12-01T00:00:00Z'), to: at('2026-12-02T00:00:00Z') };
  const figures = (requests: number, costUsd: number) => ({ requests, errors: 1, promptTokens: 10 * requests, completionTokens: 5 * requests, costUsd });

  it('makes one series per key, busiest first, and totals over all of them', () => {
    const report = toUsageSeries(
      [
        { key: 'a', t: at('2026-12-01T01:00:00Z'), ...figures(1, 0.1) },
        { key: 'b', t: at('2026-12-01T01:00:00Z'), ...figures(2, 0.2) },
        { key: 'b', t: at('2026-12-01T02:00:00Z'), ...figures(3, 0.000001) },
      ],
      range,
      'hour',
    );
    expect(report.series.map((s) => s.key)).toEqual(['b', 'a']);
    expect(report.series[0].points).toEqual([
      { t: '2026-12-01T01:00:00.000Z', requests: 2, errors: 1, promptTokens: 20, completionTokens: 10, costUsd: 0.2 },
      { t: '2026-12-01T02:00:00.000Z', requests: 3, errors: 1, promptTokens: 30, completionTokens: 15, costUsd: 0.000001 },
    ]);
    expect(report.totals).toEqual({ requests: 6, errors: 3, promptTokens: 60, completionTokens: 30, costUsd: 0.300001 });
    expect(report).toMatchObject({ from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z', interval: 'hour' });
  });

  it('answers no series and zero totals without calls', () => {
    expect(toUsageSeries([], range, 'day')).toMatchObject({ series: [], totals: { requests: 0, errors: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 } });
  });
});
