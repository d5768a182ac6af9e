import type { UsageReport } from '../api/types';
import { bucketLabel, bucketStarts, chartData, count, dayRange, logsPath, seriesColours, seriesTotals, spendShare, usagePath, usd, utcDay, withQuery } from './usage';

const point = (t: string, requests: number, costUsd = 0, promptTokens = 0, completionTokens = 0) => ({ t, requests, errors: 0, promptTokens, completionTokens, costUsd });

describe('money and counts', () => {
  it('shows cents from a dollar, four decimals below it, two significant digits under a cent', () => {
    expect([usd(1234.5), usd(1), usd(0.5), usd(0.0123), usd(0.0012), usd(0.000012), usd(0), usd(0.0000001), usd(-2)]).toEqual([
      '$1,234.50', '$1.00', '$0.5000', '$0.0123', '$0.0012', '$0.000012', '$0.00', '< $0.000001', '-$2.00',
    ]);
    expect([usd(null), usd(undefined), usd(Number.NaN)]).toEqual(['—', '—', '—']);
  });

  it('groups thousands', () => {
    expect([count(0), count(999), count(1000), count(1234567.4)]).toEqual(['0', '999', '1 000', '1 234 567']);
  });
});

describe('spendShare', () => {
  const spend = { periodUsd: 0.9, totalUsd: 3, resetsAt: '2026-12-04T00:00:00.000Z' };
  it('measures the period spend against the limit, warning at the ratio and bad at the limit', () => {
    expect(spendShare({ ...spend, periodUsd: 0.25 }, { limitUsd: 1, period: 'day' })).toEqual({ ratio: 0.25, tone: 'ok', text: '$0.2500 of $1.00 today' });
    expect(spendShare(spend, { limitUsd: 1, period: 'week' })).toMatchObject({ ratio: 0.9, tone: 'warn', text: '$0.9000 of $1.00 this week' });
    expect(spendShare({ ...spend, periodUsd: 2 }, { limitUsd: 2, period: 'total' })).toMatchObject({ ratio: 1, tone: 'bad', text: '$2.00 of $2.00 in total' });
    expect(spendShare(spend, { limitUsd: 1, period: 'month' }, 0.95).tone).toBe('ok');
  });

  it('says there is no budget, with the total spend when known', () => {
    expect(spendShare(spend, null)).toEqual({ ratio: 0, tone: 'ok', text: '$3.00 spent, no budget' });
    expect(spendShare(undefined, undefined).text).toBe('no budget');
    expect(spendShare(undefined, { limitUsd: 5, period: 'day' })).toMatchObject({ ratio: 0, text: '$0.00 of $5.00 today' });
  });
});

describe('ranges and paths', () => {
  it('turns picked days into UTC instants, the last day included', () => {
    expect(dayRange('2026-11-30', '2026-12-03')).toEqual({ from: '2026-11-30T00:00:00.000Z', to: '2026-12-04T00:00:00.000Z' });
    expect(dayRange('2026-12-31', '2026-12-31').to).toBe('2027-01-01T00:00:00.000Z');
    expect([utcDay(new Date('2026-12-03T23:30:00Z')), utcDay(new Date('2026-12-03T01:00:00Z'), 7)]).toEqual(['2026-12-03', '2026-11-26']);
  });

  it('leaves out the parameters without a value and encodes the others', () => {
    expect(withQuery('/logs', { a: '', b: undefined, c: null, d: 0, e: 'x y&z' })).toBe('/logs?d=0&e=x+y%26z');
    expect(withQuery('/logs', {})).toBe('/logs');
    expect(usagePath({ from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z', interval: 'hour', groupBy: 'apiKey' })).toBe(
      '/usage?from=2026-12-01T00%3A00%3A00.000Z&to=2026-12-02T00%3A00%3A00.000Z&interval=hour&groupBy=apiKey',
    );
    expect(logsPath({ model: ' gpt-4o ', status: '', apiKeyId: undefined }, 50)).toBe('/logs?limit=50&model=gpt-4o');
    expect(logsPath({ status: 'error', apiKeyId: 'k-1' }, 20, '1234')).toBe('/logs?limit=20&before=1234&status=error&apiKeyId=k-1');
  });
});

describe('buckets', () => {
  it('lists every bucket start of a range, the first rounded down', () => {
    expect(bucketStarts('2026-12-03T10:20:00Z', '2026-12-03T13:00:00Z', 'hour')).toEqual(['2026-12-03T10:00:00.000Z', '2026-12-03T11:00:00.000Z', '2026-12-03T12:00:00.000Z']);
    expect(bucketStarts('2026-12-01T00:00:00Z', '2026-12-03T00:00:00Z', 'day')).toEqual(['2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z']);
    expect(bucketStarts('2026-12-01T00:00:00Z', '2027-12-01T00:00:00Z', 'hour', 5)).toHaveLength(5);
  });

  it('labels buckets in UTC', () => {
    expect([bucketLabel('2026-12-03T14:00:00.000Z', 'hour'), bucketLabel('2026-12-03T00:00:00.000Z', 'day')]).toEqual(['12-03 14:00', '2026-12-03']);
  });
});

describe('chartData', () => {
  const report: UsageReport = {
    from: '2026-12-03T10:00:00.000Z',
    to: '2026-12-03T14:00:00.000Z',
    interval: 'hour',
    series: [
      { key: 'small', points: [point('2026-12-03T11:00:00.000Z', 1, 0.001, 10, 5)] },
      { key: 'big', points: [point('2026-12-03T10:00:00.000Z', 3, 0.5, 100, 50), point('2026-12-03T12:00:00Z', 2, 0.25, 40, 20)] },
      { key: null, points: [point('2026-12-03T12:00:00.000Z', 1, 0, 1, 1)] },
    ],
    totals: { requests: 7, errors: 0, promptTokens: 151, completionTokens: 76, costUsd: 0.751 },
  };
  const label = (key: string | null) => key ?? '(none)';

  it("gives a series the same colour on every chart, whatever each chart's order, and grey to other", () => {
    const colourOf = seriesColours(report, label, ['red', 'blue']);
    // requests rank big first, and so does cost: the colours follow the API's order, not the ranking
    expect(chartData(report, 'requests', label).names.map(colourOf)).toEqual(chartData(report, 'costUsd', label).names.map(colourOf));
    expect([colourOf('small'), colourOf('big'), colourOf('(none)'), colourOf('other')]).toEqual(['red', 'blue', 'red', '#9aa4b2']);
  });

  it('fills every bucket, zero where a series had no calls, biggest series first', () => {
    const { rows, names } = chartData(report, 'requests', label);
    expect(names).toEqual(['big', 'small', '(none)']);
    expect(rows).toEqual([
      { t: '2026-12-03T10:00:00.000Z', big: 3, small: 0, '(none)': 0 },
      { t: '2026-12-03T11:00:00.000Z', big: 0, small: 1, '(none)': 0 },
      { t: '2026-12-03T12:00:00.000Z', big: 2, small: 0, '(none)': 1 },
      { t: '2026-12-03T13:00:00.000Z', big: 0, small: 0, '(none)': 0 },
    ]);
  });

  it('charts tokens as prompt plus completion, and cost', () => {
    expect(chartData(report, 'tokens', label).rows[0]).toMatchObject({ big: 150 });
    expect(chartData(report, 'costUsd', label).rows[1]).toMatchObject({ small: 0.001 });
  });

  it('sums the series past the limit as other', () => {
    const { rows, names } = chartData(report, 'requests', label, 2);
    expect(names).toEqual(['big', 'other']);
    expect(rows.map((r) => r.other)).toEqual([0, 1, 1, 0]);
  });

  it('sums each series over the range, costliest first', () => {
    expect(seriesTotals(report, label)).toEqual([
      { key: 'big', name: 'big', requests: 5, errors: 0, promptTokens: 140, completionTokens: 70, costUsd: 0.75 },
      { key: 'small', name: 'small', requests: 1, errors: 0, promptTokens: 10, completionTokens: 5, costUsd: 0.001 },
      { key: null, name: '(none)', requests: 1, errors: 0, promptTokens: 1, completionTokens: 1, costUsd: 0 },
    ]);
  });
});
