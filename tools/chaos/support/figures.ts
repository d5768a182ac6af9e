/** Small helpers to turn measurements into the figures a scenario prints. */

/** The p-th percentile (0–100) of `values`, or 0 when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Milliseconds as seconds with one decimal, for figures. */
export function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

/** `a/b` as a percentage with one decimal. */
export function rate(a: number, b: number): string {
  return b === 0 ? 'n/a' : `${(Math.round((a / b) * 1000) / 10).toFixed(1)}%`;
}

/** How many of each value: `{ "200": 41, "503": 3 }` → `200×41 503×3`. */
export function tally(values: readonly (string | number)[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([value, n]) => `${value}×${n}`).join(' ') || 'none';
}

/**
 * The time from `since` until the first of `times` at or after it (ms), or undefined when none
 * came: "how long after the fault until the first success".
 */
export function firstAfter(times: readonly number[], since: number): number | undefined {
  let first: number | undefined;
  for (const t of times) if (t >= since && (first === undefined || t < first)) first = t;
  return first === undefined ? undefined : first - since;
}

/** Sleeps `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `work` over `items` with at most `concurrency` at once; answers the results in order. */
export async function mapLimit<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], index);
      }
    }),
  );
  return results;
}
