import type { Budget, SpendView, UsageGrouping, UsageInterval, UsageReport } from '../api/types';

/** A USD amount as the console shows it: cents from $1, four decimals below, two significant digits under a cent. */
export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value === 0) return '$0.00';
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  if (abs >= 1) return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (abs >= 0.01) return `${sign}$${abs.toFixed(4)}`;
  if (abs < 0.000001) return `${sign}< $0.000001`;
  return `${sign}$${abs.toFixed(Math.max(2, 1 - Math.floor(Math.log10(abs))))}`;
}

/** 1234567 → "1 234 567" (thin groups that read the same in every locale). */
export function count(value: number): string {
  return Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

export interface SpendShare {
  /** spent / limit, 0 without a budget */
  ratio: number;
  /** the bar's colour: under the warning ratio, at or over it, at or over the limit */
  tone: 'ok' | 'warn' | 'bad';
  /** what the bar says in words */
  text: string;
}

const PERIOD_WORDS: Record<Budget['period'], string> = { day: 'today', week: 'this week', month: 'this month', total: 'in total' };

/** Spend against a budget, for a key's or a user's bar; `warnAt` is the API's BUDGET_WARNING_RATIO (0.8 by default). */
export function spendShare(spend: SpendView | undefined, budget: Budget | null | undefined, warnAt = 0.8): SpendShare {
  if (!budget) return { ratio: 0, tone: 'ok', text: spend ? `${usd(spend.totalUsd)} spent, no budget` : 'no budget' };
  const spent = spend?.periodUsd ?? 0;
  const ratio = spent / budget.limitUsd;
  return {
    ratio,
    tone: ratio >= 1 ? 'bad' : ratio >= warnAt ? 'warn' : 'ok',
    text: `${usd(spent)} of ${usd(budget.limitUsd)} ${PERIOD_WORDS[budget.period]}`,
  };
}

/** The days a date range picker shows, as UTC instants: from the start of `fromDay` to the end of `toDay` (both `YYYY-MM-DD`). */
export function dayRange(fromDay: string, toDay: string): { from: string; to: string } {
  const from = new Date(`${fromDay}T00:00:00.000Z`);
  const to = new Date(`${toDay}T00:00:00.000Z`);
  to.setUTCDate(to.getUTCDate() + 1);
  return { from: from.toISOString(), to: to.toISOString() };
}

/** `YYYY-MM-DD` of `date` in UTC, `daysBack` days earlier. */
export function utcDay(date: Date, daysBack = 0): string {
  return new Date(date.getTime() - daysBack * 86_400_000).toISOString().slice(0, 10);
}

/** A path with the query parameters that have a value (empty strings and undefined are left out). */
export function withQuery(path: string, params: Record<string, string | number | undefined | null>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export interface UsageQuery {
  from: string;
  to: string;
  interval: UsageInterval;
  groupBy: UsageGrouping;
}

export const usagePath = (query: UsageQuery) => withQuery('/usage', { ...query });

export interface LogFilters {
  model?: string;
  /** `success`, `error` or an HTTP status */
  status?: string;
  apiKeyId?: string;
}

/** A page of `GET /logs`: the newest `limit` entries matching `filters`, older than the entry `before` when given. */
export const logsPath = (filters: LogFilters, limit: number, before?: string) =>
  withQuery('/logs', { limit, before, model: filters.model?.trim(), status: filters.status, apiKeyId: filters.apiKeyId });

const STEP_MS: Record<UsageInterval, number> = { hour: 3_600_000, day: 86_400_000 };

/** The start of every bucket (UTC) from `from` up to `to`, as the API's `t`s. */
export function bucketStarts(from: string, to: string, interval: UsageInterval, max = 10_000): string[] {
  const step = STEP_MS[interval];
  const end = Date.parse(to);
  const starts: string[] = [];
  for (let t = Math.floor(Date.parse(from) / step) * step; t < end && starts.length < max; t += step) starts.push(new Date(t).toISOString());
  return starts;
}

/** A bucket's start as an axis shows it, in UTC: `12-03 14:00` for hours, `2026-12-03` for days. */
export function bucketLabel(t: string, interval: UsageInterval): string {
  const iso = new Date(t).toISOString();
  return interval === 'hour' ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

export type UsageMetric = 'requests' | 'tokens' | 'costUsd';

const valueOf = (point: { requests: number; promptTokens: number; completionTokens: number; costUsd: number }, metric: UsageMetric) =>
  metric === 'tokens' ? point.promptTokens + point.completionTokens : point[metric];

/** What a series is called on a chart: the label `labelOf` gives its key, `(none)` for calls of no such group. */
export type SeriesLabel = (key: string | null) => string;

export interface ChartData {
  /** one row per bucket, `t` and one number per series name (0 where the series has no point) */
  rows: ({ t: string } & Record<string, number | string>)[];
  /** the series' names, biggest total first; past `maxSeries` the smaller ones are summed as `other` */
  names: string[];
}

/** Pivots the API's series (points only where there were calls) into chart rows over every bucket of the range. */
export function chartData(report: UsageReport, metric: UsageMetric, labelOf: SeriesLabel, maxSeries = 8): ChartData {
  const totals = report.series
    .map((series) => ({ name: labelOf(series.key), points: series.points, total: series.points.reduce((sum, p) => sum + valueOf(p, metric), 0) }))
    .sort((a, b) => b.total - a.total);
  const kept = totals.length > maxSeries ? totals.slice(0, maxSeries - 1) : totals;
  const names = kept.map((s) => s.name);
  if (kept.length < totals.length) names.push('other');
  const rows = new Map(bucketStarts(report.from, report.to, report.interval).map((t) => [t, { t, ...Object.fromEntries(names.map((n) => [n, 0])) } as ChartData['rows'][number]]));
  totals.forEach((series, index) => {
    const name = index < kept.length ? series.name : 'other';
    for (const point of series.points) {
      const t = new Date(point.t).toISOString();
      const row = rows.get(t) ?? { t, ...Object.fromEntries(names.map((n) => [n, 0])) };
      row[name] = (row[name] as number) + valueOf(point, metric);
      rows.set(t, row);
    }
  });
  return { rows: [...rows.values()].sort((a, b) => a.t.localeCompare(b.t)), names };
}

/**
 * One colour per series for every chart of a report: assigned in the order of the API's series (not of
 * each chart's totals), so a model keeps its colour from the requests chart to the cost chart; `other` is grey.
 */
export function seriesColours(report: UsageReport, labelOf: SeriesLabel, palette: readonly string[], other = '#9aa4b2'): (name: string) => string {
  const colours = new Map<string, string>();
  for (const series of report.series) {
    const name = labelOf(series.key);
    if (!colours.has(name)) colours.set(name, palette[colours.size % palette.length]);
  }
  return (name) => colours.get(name) ?? other;
}

/** Each series' sums over the range, biggest cost first then most requests: the table beside the charts. */
export function seriesTotals(report: UsageReport, labelOf: SeriesLabel) {
  return report.series
    .map((series) => ({
      key: series.key,
      name: labelOf(series.key),
      ...series.points.reduce(
        (sum, p) => ({ requests: sum.requests + p.requests, errors: sum.errors + p.errors, promptTokens: sum.promptTokens + p.promptTokens, completionTokens: sum.completionTokens + p.completionTokens, costUsd: sum.costUsd + p.costUsd }),
        { requests: 0, errors: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 },
      ),
    }))
    .sort((a, b) => b.costUsd - a.costUsd || b.requests - a.requests);
}
