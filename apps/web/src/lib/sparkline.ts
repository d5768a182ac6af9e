/** The newest `max` samples, `value` appended. */
export function pushSample(samples: readonly number[], value: number, max = 30): number[] {
  const next = [...samples, value];
  return next.length > max ? next.slice(next.length - max) : next;
}

export interface SparklineGeometry {
  /** SVG path of the line ('' without samples) */
  path: string;
  /** the newest point, for a dot at the end of the line */
  last: { x: number; y: number } | null;
  min: number;
  max: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * A line through `values` (oldest first) in a `width` × `height` box with `padding` on every side:
 * x evenly spaced, y scaled between the smallest and largest value (higher values higher up);
 * equal values lie on the middle line, a single value is a flat line across.
 */
export function sparkline(values: readonly number[], width: number, height: number, padding = 2): SparklineGeometry {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { path: '', last: null, min: 0, max: 0 };
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const innerWidth = width - 2 * padding;
  const innerHeight = height - 2 * padding;
  const y = (v: number) => round(max === min ? height / 2 : padding + innerHeight - ((v - min) / (max - min)) * innerHeight);
  const points =
    finite.length === 1
      ? [{ x: padding, y: y(finite[0]) }, { x: width - padding, y: y(finite[0]) }]
      : finite.map((v, i) => ({ x: round(padding + (i / (finite.length - 1)) * innerWidth), y: y(v) }));
  return {
    path: points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' '),
    last: points[points.length - 1],
    min,
    max,
  };
}
