import type { RoutingTableSnapshot } from '@ish/contracts';
import { listModels } from './list-models';
import { candidate } from './route-candidate.fixture';

function table(overrides: Partial<RoutingTableSnapshot> = {}): RoutingTableSnapshot {
  return {
    strategy: 'least-latency',
    version: 1,
    instances: [
      candidate('o', { models: ['gpt-4o', 'gpt-4o-mini'] }),
      candidate('g', { providerType: 'groq', models: ['llama-3.1-8b-instant', 'gpt-4o'] }),
      candidate('down', { models: ['claude-sonnet-4'], status: 'unhealthy' }),
    ],
    ...overrides,
  };
}

const ids = (listed: { id: string; owned_by: string }[]) => listed.map((model) => `${model.id}:${model.owned_by}`);

describe('listModels', () => {
  it('lists each model of a healthy or degraded instance once, owned by its provider', () => {
    expect(ids(listModels(table()))).toEqual(['gpt-4o:openai', 'gpt-4o-mini:openai', 'llama-3.1-8b-instant:groq']);
    expect(listModels(undefined)).toEqual([]);
  });

  it('lists an alias owned by "ish" when a healthy instance serves one of its models', () => {
    const listed = listModels(table({ aliases: { fast: ['claude-sonnet-4', 'llama-3.1-8b-instant'], gone: ['claude-sonnet-4'], nowhere: ['gemini-2.0-flash'] } }));
    expect(listed).toContainEqual({ id: 'fast', object: 'model', owned_by: 'ish' });
    expect(ids(listed)).not.toContain('gone:ish');
    expect(ids(listed)).not.toContain('nowhere:ish');
  });

  it('does not count the fallbacks of its models', () => {
    expect(ids(listModels(table({ aliases: { gone: ['claude-sonnet-4'] }, fallbacks: { 'claude-sonnet-4': ['gpt-4o'] } })))).not.toContain('gone:ish');
  });

  it('lists an alias once, as "ish", when it shares its name with a served model', () => {
    const listed = ids(listModels(table({ aliases: { 'gpt-4o': ['gpt-4o-mini'] } })));
    expect(listed.filter((entry) => entry.startsWith('gpt-4o:'))).toEqual(['gpt-4o:ish']);
  });
});
