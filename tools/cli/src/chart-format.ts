import { plot } from 'asciichart';

/** Eight block heights, lowest first: one character per sample. */
const SPARK_BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** `1.23/s`, `12.3/s`, `123/s`: requests per second at a width that stays readable. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 100) return `${Math.round(perSecond)}/s`;
  if (perSecond >= 10) return `${perSecond.toFixed(1)}/s`;
  return `${perSecond.toFixed(2)}/s`;
}

/** A ratio 0..1 as a percentage with one decimal: `2.5%`. */
export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

/** `840 ms` below a second, `1.25 s` above. */
export function formatLatency(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** US dollars with cents, or four decimals below a dollar (token prices are small): `$12.34`, `$0.0042`. */
export function formatUsd(usd: number): string {
  return usd >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toFixed(4)}`;
}

/** One block character per value, scaled from 0 (or the lowest value, if negative) to the highest; all zero is a flat floor. */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const low = Math.min(0, ...values);
  const high = Math.max(...values);
  const span = high - low;
  return values.map((value) => SPARK_BLOCKS[span === 0 ? 0 : Math.round(((value - low) / span) * (SPARK_BLOCKS.length - 1))]).join('');
}

export interface LineChartOptions {
  /** rows of the plot */
  height: number;
  /** how a y-axis label reads; labels are padded to one width */
  format: (value: number) => string;
}

/** Width of the y-axis labels asciichart draws (our format, padded), plus the axis itself. */
export const CHART_LABEL_WIDTH = 10;

/**
 * A line chart of `values` (asciichart), `height` rows high whatever the data: the y axis runs from 0
 * to the highest value (1 when everything is 0), so a flat series is a line on the floor, not a collapsed plot.
 */
export function lineChart(values: readonly number[], options: LineChartOptions): string[] {
  const series = values.length === 0 ? [0] : [...values];
  const max = Math.max(...series);
  return plot(series, {
    height: options.height - 1,
    min: 0,
    max: max > 0 ? max : 1,
    format: (value) => options.format(value).padStart(CHART_LABEL_WIDTH - 2).slice(-(CHART_LABEL_WIDTH - 2)),
  }).split('\n');
}
