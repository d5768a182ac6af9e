import type { Chalk } from 'chalk';
import type { InstanceStatus, StatsView } from '@ish/contracts';
import { CHART_LABEL_WIDTH, formatLatency, formatPercent, formatRate, formatUsd, lineChart, sparkline } from './chart-format';
import type { StatsHistory } from './stats-history';
import { renderQueues, renderTable, Section } from './status';

/** Everything one frame of `ish top` shows. */
export interface TopFrame {
  gatewayUrl: string;
  refreshedAt: Date;
  intervalMs: number;
  /** the newest reading, or why there is none */
  latest: Section<StatsView>;
  history: StatsHistory;
}

export interface ScreenSize {
  columns: number;
  rows: number;
}

/** Rows of each line chart. */
const CHART_HEIGHT = 6;
/** An error rate from here on is shown in red. */
const ERROR_RATE_ALARM = 0.05;

const STATUS_COLOURS: Record<InstanceStatus, 'green' | 'yellow' | 'red' | 'gray'> = { healthy: 'green', degraded: 'yellow', unhealthy: 'red', disabled: 'gray', standby: 'gray' };

/** How long `samples` refreshes cover, in words: `last 40 s`, `last 2 min`. */
function span(samples: number, intervalMs: number): string {
  const seconds = Math.round((samples * intervalMs) / 1000);
  return seconds < 120 ? `last ${seconds} s` : `last ${Math.round(seconds / 60)} min`;
}

function headline(stats: StatsView, paint: Chalk): string {
  const r = stats.requests;
  const errors = `errors ${formatPercent(r.errorRate)} (${r.errors})`;
  return [
    `${paint.bold('REQUESTS')}  last ${stats.windowSeconds} s: ${paint.bold(formatRate(r.perSecond))}`,
    `${r.count} calls`,
    r.errorRate >= ERROR_RATE_ALARM ? paint.red(errors) : errors,
    `p50 ${formatLatency(r.p50LatencyMs)}`,
    `p95 ${formatLatency(r.p95LatencyMs)}`,
    `spend today ${paint.bold(formatUsd(stats.spendTodayUsd))}`,
  ].join(' · ');
}

function charts(frame: TopFrame, columns: number, paint: Chalk): string[] {
  const samples = frame.history.last(Math.max(1, columns - CHART_LABEL_WIDTH - 1));
  const when = span(samples.length, frame.intervalMs);
  const errorRates = samples.map((s) => s.errorRate);
  const latestError = errorRates.at(-1) ?? 0;
  return [
    paint.bold(`Requests per second`) + paint.gray(` (${when})`),
    ...lineChart(samples.map((s) => s.perSecond), { height: CHART_HEIGHT, format: (v) => v.toFixed(2) }).map((row) => paint.cyan(row)),
    paint.bold(`p95 latency, ms`) + paint.gray(` (${when})`),
    ...lineChart(samples.map((s) => s.p95LatencyMs), { height: CHART_HEIGHT, format: (v) => v.toFixed(0) }).map((row) => paint.magenta(row)),
    `${paint.bold('Error rate')}  ${(latestError >= ERROR_RATE_ALARM ? paint.red : paint.green)(sparkline(errorRates))} ${formatPercent(latestError)}`,
  ];
}

function instances(list: StatsView['instances'], paint: Chalk): string[] {
  const inFlight = list.reduce((sum, i) => sum + i.inFlight, 0);
  const healthy = list.filter((i) => i.status === 'healthy').length;
  const title = `${paint.bold('INSTANCES')}  ${list.length} · ${healthy} healthy · ${inFlight} in flight`;
  if (list.length === 0) return [title, '  none registered'];
  const rows = list.map((i) => [i.name, i.providerType, i.status, i.circuit, String(i.inFlight)]);
  return [
    title,
    ...renderTable(['NAME', 'PROVIDER', 'STATUS', 'CIRCUIT', 'IN-FLIGHT'], rows, (cell, row, column) => {
      if (column === 2) return paint[STATUS_COLOURS[list[row].status]](cell);
      if (column === 3 && list[row].circuit !== 'closed') return paint.red(cell);
      return cell;
    }),
  ];
}

/** One frame as lines, at most `size.rows` of them (an alternate screen must never scroll). Pure: same input, same frame. */
export function renderTop(frame: TopFrame, size: ScreenSize, paint: Chalk): string[] {
  const clock = frame.refreshedAt.toISOString().slice(11, 19);
  const lines = [paint.inverse(` ISH Chat · top `) + ` ${frame.gatewayUrl} · ${clock} UTC · every ${frame.intervalMs / 1000} s · ${paint.bold('q')} quits`, ''];
  if (!frame.latest.ok) lines.push(paint.red(`stats: ${frame.latest.note}`), '');
  const stats = frame.latest.ok ? frame.latest.value : undefined;
  if (stats) lines.push(headline(stats, paint), '');
  if (frame.history.size > 0) lines.push(...charts(frame, size.columns, paint), '');
  if (stats) lines.push(...instances(stats.instances, paint), '', paint.bold('QUEUES'), ...renderQueues(stats.queues, paint));
  return lines.slice(0, Math.max(1, size.rows));
}
