import { metricsRegistry } from '@ish/platform';
import { countUpstreamUsage, observeUpstreamCall, usageModelLabel } from './upstream-metrics';

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

describe('upstream usage metrics', () => {
  const instance = { providerType: 'openai', models: ['gpt-4o', 'gpt-4o-mini'] };
  const sample = (text: string, name: string, labels: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  it('count prompt and completion tokens and the cost per model and provider', async () => {
    countUpstreamUsage({ instance, model: 'gpt-4o' }, { promptTokens: 12, completionTokens: 5, costUsd: 0.000125 });
    countUpstreamUsage({ instance, model: 'gpt-4o' }, { promptTokens: 3, completionTokens: 0, costUsd: 0.00001 });
    const text = await metricsRegistry.metrics();
    expect(sample(text, 'ish_upstream_tokens_total', 'model="gpt-4o",provider="openai",kind="prompt"')).toBe(15);
    expect(sample(text, 'ish_upstream_tokens_total', 'model="gpt-4o",provider="openai",kind="completion"')).toBe(5);
    expect(sample(text, 'ish_upstream_cost_usd_total', 'model="gpt-4o",provider="openai"')).toBeCloseTo(0.000135, 9);
  });

  it('label a model the instance does not list (a catch-all pass-through) as "other", so labels stay bounded', async () => {
    expect(usageModelLabel(instance, 'gpt-4o-mini')).toBe('gpt-4o-mini');
    expect(usageModelLabel(instance, 'whatever-a-client-typed')).toBe('other');
    expect(usageModelLabel({ models: [] }, 'gpt-4o')).toBe('other');
    countUpstreamUsage({ instance: { providerType: 'ollama', models: [] }, model: 'client-chosen-1' }, { promptTokens: 1, completionTokens: 1, costUsd: 0 });
    countUpstreamUsage({ instance: { providerType: 'ollama', models: [] }, model: 'client-chosen-2' }, { promptTokens: 1, completionTokens: 1, costUsd: 0 });
    const text = await metricsRegistry.metrics();
    expect(text).not.toContain('client-chosen');
    expect(sample(text, 'ish_upstream_tokens_total', 'model="other",provider="ollama",kind="prompt"')).toBe(2);
    // a call without cost adds no cost series
    expect(text).not.toMatch(/ish_upstream_cost_usd_total\{model="other",provider="ollama"/);
  });
});
