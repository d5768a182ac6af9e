import type { StatsView } from '@ish/contracts';
import { StatsHistory } from './stats-history';

const stats = (perSecond: number): StatsView =>
  ({ requests: { count: perSecond * 60, errors: 1, perSecond, errorRate: 0.5, p50LatencyMs: 10 * perSecond, p95LatencyMs: 20 * perSecond } }) as StatsView;

describe('StatsHistory', () => {
  it('keeps the charted figures of each reading, oldest first', () => {
    const history = new StatsHistory(10);
    history.add(stats(1));
    history.add(stats(2));
    expect(history.last(10)).toEqual([
      { perSecond: 1, errorRate: 0.5, p50LatencyMs: 10, p95LatencyMs: 20 },
      { perSecond: 2, errorRate: 0.5, p50LatencyMs: 20, p95LatencyMs: 40 },
    ]);
  });

  it('forgets the oldest readings beyond its capacity and answers the newest `count`', () => {
    const history = new StatsHistory(3);
    for (let i = 1; i <= 5; i++) history.add(stats(i));
    expect(history.size).toBe(3);
    expect(history.last(10).map((s) => s.perSecond)).toEqual([3, 4, 5]);
    expect(history.last(2).map((s) => s.perSecond)).toEqual([4, 5]);
  });
});
