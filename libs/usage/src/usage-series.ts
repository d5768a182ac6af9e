import type { UsageFigures, UsageInterval, UsagePoint, UsageSeriesReport } from '@ish/contracts';
import { ApiError } from '@ish/platform';
import type { TimeRange } from './usage-totals';

const INTERVAL_MS: Record<UsageInterval, number> = { hour: 3_600_000, day: 86_400_000 };




/** One row of the series query: a group's figures in one bucket. */
export interface UsageSeriesRow extends UsageFigures {
  key: string | null;
  t: Date;
}

/**
 * The range a series covers: `from` rounded down and `to` rounded up to whole buckets (UTC), so every
 * bucket is complete; 400 naming `from` when that makes more than `maxPoints` buckets.
 */
export function usageBuckets(range: TimeRange, interval: UsageInterval, maxPoints: number): TimeRange & { points: number } {
  const step = INTERVAL_MS[interval];
  const from = new Date(Math.floor(range.from.getTime() / step) * step);
  const to = new Date(Math.max(Math.ceil(range.to.getTime() / step) * step, from.getTime() + step));
  const points = (to.getTime() - from.getTime()) / step;
  if (points > maxPoints) {
    const message = `from..to holds ${points} ${interval}s; at most ${maxPoints} points (USAGE_MAX_POINTS): shorten the range or use a longer interval`;
    throw ApiError.badRequest('too_many_points', message, [{ field: 'from', message }]).withParam('from');
  }
  return { from, to, points };
}

const ZERO: UsageFigures = { requests: 0, errors: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };

function add(sum: UsageFigures, figures: UsageFigures): UsageFigures {
  return {
    requests: sum.requests + figures.requests,
    errors: sum.errors + figures.errors,
    promptTokens: sum.promptTokens + figures.promptTokens,
    completionTokens: sum.completionTokens + figures.completionTokens,
    costUsd: sum.costUsd + figures.costUsd,
  };
}

/** Cost to a millionth of a dollar, the precision it is logged at (sums of floats drift below it). */
const roundCost = (figures: UsageFigures): UsageFigures => ({ ...figures, costUsd: Math.round(figures.costUsd * 1e6) / 1e6 });

/** Rows (ordered by key, then bucket) as series, busiest first, with the totals of them all. */
export function toUsageSeries(rows: readonly UsageSeriesRow[], range: TimeRange, interval: UsageInterval): UsageSeriesReport {
  const byKey = new Map<string | null, { points: UsagePoint[]; total: UsageFigures }>();
  let totals = ZERO;
  for (const { key, t, ...figures } of rows) {
    let series = byKey.get(key);
    if (!series) byKey.set(key, (series = { points: [], total: ZERO }));
    series.points.push({ t: t.toISOString(), ...roundCost(figures) });
    series.total = add(series.total, figures);
    totals = add(totals, figures);
  }
  const series = [...byKey.entries()].sort(([, a], [, b]) => b.total.requests - a.total.requests).map(([key, { points }]) => ({ key, points }));
  return { from: range.from.toISOString(), to: range.to.toISOString(), interval, series, totals: roundCost(totals) };
}
