import type { InstanceView } from '@ish/contracts';
import type { QueueDepths } from '@ish/jobs';
import type { RequestLogReadModel } from '@ish/usage';
import type { InstancesService } from '../instances/instances.service';
import { StatsService } from './stats.service';

const view = { id: 'i-1', name: 'sim', providerType: 'openai-compatible', status: 'degraded', circuit: 'half_open', inFlight: 3, baseUrl: 'http://x/v1', models: ['m'], stats: { requests: 1 } } as unknown as InstanceView;

describe('StatsService', () => {
  it('answers the window figures, each instance as its view shows it (status, circuit, in flight only), the queues and the spend since 00:00 UTC', async () => {
    const costSince = jest.fn().mockResolvedValue(1.23456789);
    const service = new StatsService(
      { list: async () => [view] } as unknown as InstancesService,
      {
        liveTraffic: async (windowSeconds: number) => ({ windowSeconds, count: 6, errors: 1, perSecond: 0.1, errorRate: 0.167, p50LatencyMs: 40, p95LatencyMs: 90 }),
        costSince,
      } as unknown as RequestLogReadModel,
      { read: async () => ({ ai: { waiting: 1, active: 2, delayed: 3, failed: 4 }, adb: null, webhooks: { waiting: 0, active: 0, delayed: 0, failed: 0 } }) } as unknown as QueueDepths,
    );
    const at = new Date('2026-12-03T16:40:12.345Z');
    expect(await service.now(at)).toEqual({
      at: '2026-12-03T16:40:12.345Z',
      windowSeconds: 60,
      requests: { count: 6, errors: 1, perSecond: 0.1, errorRate: 0.167, p50LatencyMs: 40, p95LatencyMs: 90 },
      instances: [{ id: 'i-1', name: 'sim', providerType: 'openai-compatible', status: 'degraded', circuit: 'half_open', inFlight: 3 }],
      queues: { ai: { waiting: 1, active: 2, delayed: 3, failed: 4 }, adb: null, webhooks: { waiting: 0, active: 0, delayed: 0, failed: 0 } },
      spendTodayUsd: 1.234568,
    });
    expect(costSince).toHaveBeenCalledWith(new Date('2026-12-03T00:00:00Z'));
  });
});
