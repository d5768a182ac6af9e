import { metricsRegistry } from '@ish/platform';
import { observeUpstreamCall } from './upstream-metrics';

describe('upstream metrics', () => {
  it('count and time provider calls in the process registry', async () => {
    observeUpstreamCall({ id: 'instance-a', providerType: 'openai' }, 'success', 250);
    observeUpstreamCall({ id: 'instance-a', providerType: 'openai' }, 'retryable', 40);
    const text = await metricsRegistry.metrics();
    expect(text).toMatch(/ish_upstream_requests_total\{instance_id="instance-a",outcome="success"[^}]*\} 1/);
    expect(text).toMatch(/ish_upstream_requests_total\{instance_id="instance-a",outcome="retryable"[^}]*\} 1/);
    expect(text).toMatch(/ish_upstream_request_duration_seconds_count\{instance_id="instance-a",provider_type="openai"[^}]*\} 2/);
    expect(text).toMatch(/ish_upstream_request_duration_seconds_bucket\{le="0.05",instance_id="instance-a",provider_type="openai"[^}]*\} 1/);
  });
});
