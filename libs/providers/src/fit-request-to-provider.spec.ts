import { PROVIDER_TYPES } from '@ish/contracts';
import { UnsupportedParameterError } from './adapters/unsupported-parameter';
import { fitRequestToProvider } from './fit-request-to-provider';
import { PROVIDER_SPECS } from './provider-specs';

const base = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };

describe('fitRequestToProvider', () => {
  it('passes every parameter to OpenAI and to OpenAI-compatible servers, unknown ones included, without copying', () => {
    const request = { ...base, n: 3, logprobs: true, top_logprobs: 2, logit_bias: { '1': 5 }, tools: [], brand_new_param: { x: 1 } };
    for (const type of ['openai', 'openai-compatible'] as const) {
      const fitted = fitRequestToProvider(request, type, false);
      expect(fitted.request).toBe(request);
      expect(fitted.dropped).toEqual([]);
    }
  });

  it.each([
    ['groq', { logprobs: true }, 'logprobs'],
    ['groq', { logit_bias: { '1': 1 } }, 'logit_bias'],
    ['groq', { n: 2 }, 'n'],
    ['perplexity', { tools: [{ type: 'function', function: { name: 'f' } }] }, 'tools'],
    ['perplexity', { tool_choice: 'auto' }, 'tool_choice'],
    ['zai', { tool_choice: 'required' }, 'tool_choice'],
    ['zai', { presence_penalty: 1 }, 'presence_penalty'],
    ['perplexity', { n: 4 }, 'n'],
  ] as const)('%s refuses %j naming %s', (type, extra, param) => {
    const attempt = () => fitRequestToProvider({ ...base, ...extra }, type, false);
    expect(attempt).toThrow(UnsupportedParameterError);
    try {
      attempt();
    } catch (error) {
      expect((error as UnsupportedParameterError).param).toBe(param);
      expect((error as Error).message).toContain(PROVIDER_SPECS[type].label);
    }
  });

  it('accepts the values a provider does honour: n 1, tool_choice auto on Z.ai, null as absent', () => {
    expect(fitRequestToProvider({ ...base, n: 1, logprobs: null }, 'groq', false).dropped).toEqual([]);
    expect(fitRequestToProvider({ ...base, tool_choice: 'auto' }, 'zai', false).dropped).toEqual([]);
  });

  it('leaves the native protocols to their adapters, which refuse or drop for themselves', () => {
    for (const type of ['anthropic', 'gemini', 'azure-openai'] as const) {
      expect(fitRequestToProvider({ ...base, n: 4, modalities: ['text', 'audio'] }, type, false).dropped).toEqual([]);
    }
  });

  it('names the message whose field Groq refuses', () => {
    const request = { ...base, messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b', name: 'bob' }] };
    expect(() => fitRequestToProvider(request, 'groq', false)).toThrow(expect.objectContaining({ param: 'messages.1.name' }));
  });

  it('with drop_params leaves the parameters out, lists them, and keeps the rest as it was', () => {
    const request = { ...base, messages: [{ role: 'user', content: 'b', name: 'bob' }], logprobs: true, top_logprobs: 3, n: 1, temperature: 0.2 };
    const fitted = fitRequestToProvider(request, 'groq', true);
    expect(fitted.request).toEqual({ model: 'm', messages: [{ role: 'user', content: 'b' }], n: 1, temperature: 0.2 });
    expect(fitted.dropped).toEqual(['logprobs', 'top_logprobs', 'messages.*.name']);
    expect(request.logprobs).toBe(true);
  });

  it('has a table entry for every provider type', () => {
    for (const type of PROVIDER_TYPES) expect(Array.isArray(PROVIDER_SPECS[type].parameterGaps)).toBe(true);
  });
});
