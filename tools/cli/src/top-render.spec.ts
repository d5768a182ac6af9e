import chalk from 'chalk';
import type { StatsView } from '@ish/contracts';
import { StatsHistory } from './stats-history';
import { renderTop, TopFrame } from './top-render';

const plain = new chalk.Instance({ level: 0 });

function stats(perSecond: number, overrides: Partial<StatsView> = {}): StatsView {
  return {
    at: '2026-12-03T16:40:12.000Z',
    windowSeconds: 60,
    requests: { count: Math.round(perSecond * 60), errors: 3, perSecond, errorRate: 0.025, p50LatencyMs: 412, p95LatencyMs: 1250 },
    instances: [
      { id: 'a', name: 'openai-main', providerType: 'openai', status: 'healthy', circuit: 'closed', inFlight: 2 },
      { id: 'b', name: 'local-sim', providerType: 'openai-compatible', status: 'unhealthy', circuit: 'open', inFlight: 0 },
    ],
    queues: { ai: { waiting: 4, active: 1, delayed: 0, failed: 0 }, adb: { waiting: 0, active: 0, delayed: 0, failed: 0 }, webhooks: { waiting: 0, active: 0, delayed: 2, failed: 1 } },
    spendTodayUsd: 0.1234,
    ...overrides,
  };
}

function frame(readings: StatsView[], latest: TopFrame['latest'] = { ok: true, value: readings[readings.length - 1] }): TopFrame {
  const history = new StatsHistory(100);
  for (const reading of readings) history.add(reading);
  return { gatewayUrl: 'http://127.0.0.1:8080', refreshedAt: new Date('2026-12-03T16:40:12Z'), intervalMs: 2000, latest, history };
}

const big = { columns: 100, rows: 60 };

describe('renderTop', () => {
  it('heads the screen with the gateway, the time, the refresh and how to quit, then the last minute in one line', () => {
    const lines = renderTop(frame([stats(1.5)]), big, plain);
    expect(lines[0]).toBe(' ISH Chat · top  http://127.0.0.1:8080 · 16:40:12 UTC · every 2 s · q quits');
    expect(lines).toContain('REQUESTS  last 60 s: 1.50/s · 90 calls · errors 2.5% (3) · p50 412 ms · p95 1.25 s · spend today $0.1234');
  });

  it('charts the request rate and p95 latency of every reading, six rows each, and the error rate as a sparkline', () => {
    const lines = renderTop(frame([stats(1), stats(2), stats(4)]), big, plain);
    const rate = lines.findIndex((l) => l.startsWith('Requests per second (last 6 s)'));
    expect(rate).toBeGreaterThan(0);
    const chart = lines.slice(rate + 1, rate + 7);
    expect(chart[0]).toMatch(/^\s+4\.00 ┼/);
    expect(chart[5]).toMatch(/^\s+0\.00 ┤/);
    expect(lines[rate + 7]).toBe('p95 latency, ms (last 6 s)');
    expect(lines[rate + 8]).toMatch(/^\s+1250 ┼──/);
    expect(lines).toContain('Error rate  ███ 2.5%');
  });

  it('draws only as many readings as fit beside the axis labels', () => {
    const readings = Array.from({ length: 50 }, (_, i) => stats(i));
    const lines = renderTop(frame(readings), { columns: 40, rows: 60 }, plain);
    expect(lines.find((l) => l.startsWith('Requests per second'))).toBe('Requests per second (last 58 s)');
    expect(lines.find((l) => l.startsWith('Error rate'))).toBe(`Error rate  ${'█'.repeat(29)} 2.5%`);
  });

  it('lists instances with state and in flight, and the depth of every queue', () => {
    const lines = renderTop(frame([stats(1)]), big, plain);
    expect(lines).toContain('INSTANCES  2 · 1 healthy · 2 in flight');
    expect(lines.find((l) => l.includes('openai-main'))?.split(/\s{2,}/).filter(Boolean)).toEqual(['openai-main', 'openai', 'healthy', 'closed', '2']);
    expect(lines.find((l) => l.includes('local-sim'))?.split(/\s{2,}/).filter(Boolean)).toEqual(['local-sim', 'openai-compatible', 'unhealthy', 'open', '0']);
    expect(lines.slice(-4)).toEqual([
      '  QUEUE     WAITING  ACTIVE  DELAYED  FAILED',
      '  ai        4        1       0        0',
      '  adb       0        0       0        0',
      '  webhooks  0        0       2        1',
    ]);
  });

  it('shows why a reading failed and keeps the charts of the earlier ones', () => {
    const lines = renderTop(frame([stats(1), stats(2)], { ok: false, note: 'cannot reach the gateway at http://127.0.0.1:8080: ECONNREFUSED' }), big, plain);
    expect(lines[2]).toBe('stats: cannot reach the gateway at http://127.0.0.1:8080: ECONNREFUSED');
    expect(lines.some((l) => l.startsWith('Requests per second'))).toBe(true);
    expect(lines.some((l) => l.startsWith('INSTANCES'))).toBe(false);
  });

  it('never draws more lines than the screen has rows', () => {
    expect(renderTop(frame([stats(1)]), { columns: 100, rows: 10 }, plain)).toHaveLength(10);
  });

  it('colours unhealthy instances and open circuits red, a high error rate too', () => {
    const paint = new chalk.Instance({ level: 1 });
    const alarming = stats(1, { requests: { count: 60, errors: 30, perSecond: 1, errorRate: 0.5, p50LatencyMs: 1, p95LatencyMs: 1 } });
    const lines = renderTop(frame([alarming]), big, paint);
    const sim = lines.find((l) => l.includes('local-sim'))!;
    expect(sim).toContain(paint.red('unhealthy'));
    expect(sim).toContain(paint.red('open   '));
    expect(lines.find((l) => l.includes('openai-main'))).toContain(paint.green('healthy  '));
    expect(lines.find((l) => l.startsWith(paint.bold('REQUESTS')))).toContain(paint.red('errors 50.0% (30)'));
  });
});
