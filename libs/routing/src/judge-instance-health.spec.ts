import { DEFAULT_HEALTH_THRESHOLDS, judgeInstanceHealth, PassiveHealth } from './judge-instance-health';

const quiet: PassiveHealth = { requests: 0, errors: 0, p50LatencyMs: 0, p95LatencyMs: 0 };
const thresholds = { ...DEFAULT_HEALTH_THRESHOLDS, unhealthyAfterFailures: 2, degradedErrorRate: 0.25, degradedP95LatencyMs: 5000, minPassiveRequests: 10 };

describe('judgeInstanceHealth', () => {
  it.each(['disabled', 'standby'] as const)('leaves %s instances alone whatever the probe says', (status) => {
    expect(judgeInstanceHealth(status, { probeOk: false, consecutiveFailures: 10 }, thresholds).status).toBe(status);
    expect(judgeInstanceHealth(status, { probeOk: true, consecutiveFailures: 0 }, thresholds).status).toBe(status);
  });

  it('keeps the status after fewer failed probes in a row than the threshold', () => {
    expect(judgeInstanceHealth('healthy', { probeOk: false, consecutiveFailures: 1 }, thresholds).status).toBe('healthy');
    expect(judgeInstanceHealth('degraded', { probeOk: false, consecutiveFailures: 1 }, thresholds).status).toBe('degraded');
  });

  it('makes an instance unhealthy once the threshold of failed probes in a row is reached', () => {
    expect(judgeInstanceHealth('healthy', { probeOk: false, consecutiveFailures: 2 }, thresholds)).toEqual({ status: 'unhealthy', reason: '2 probe(s) failed in a row' });
    expect(judgeInstanceHealth('degraded', { probeOk: false, consecutiveFailures: 5 }, thresholds).status).toBe('unhealthy');
    expect(judgeInstanceHealth('unhealthy', { probeOk: false, consecutiveFailures: 1 }, thresholds).status).toBe('unhealthy');
  });

  it('makes a live instance healthy when the probe succeeds and traffic is fine or too thin to judge', () => {
    expect(judgeInstanceHealth('unhealthy', { probeOk: true, consecutiveFailures: 0 }, thresholds).status).toBe('healthy');
    expect(judgeInstanceHealth('degraded', { probeOk: true, consecutiveFailures: 0, passive: quiet }, thresholds).status).toBe('healthy');
    const thinButBad = { requests: 9, errors: 9, p50LatencyMs: 9000, p95LatencyMs: 9000 };
    expect(judgeInstanceHealth('healthy', { probeOk: true, consecutiveFailures: 0, passive: thinButBad }, thresholds).status).toBe('healthy');
  });

  it('degrades an instance that answers probes while real traffic fails often', () => {
    const verdict = judgeInstanceHealth('healthy', { probeOk: true, consecutiveFailures: 0, passive: { requests: 20, errors: 5, p50LatencyMs: 100, p95LatencyMs: 200 } }, thresholds);
    expect(verdict).toEqual({ status: 'degraded', reason: 'probe ok but 25% of 20 recent requests failed' });
    const fine = judgeInstanceHealth('healthy', { probeOk: true, consecutiveFailures: 0, passive: { requests: 20, errors: 4, p50LatencyMs: 100, p95LatencyMs: 200 } }, thresholds);
    expect(fine.status).toBe('healthy');
  });

  it('degrades an instance whose real traffic is slow', () => {
    const slow = { requests: 50, errors: 0, p50LatencyMs: 1000, p95LatencyMs: 5000 };
    expect(judgeInstanceHealth('unhealthy', { probeOk: true, consecutiveFailures: 0, passive: slow }, thresholds)).toEqual({
      status: 'degraded',
      reason: 'probe ok but recent p95 latency is 5000 ms',
    });
  });
});
