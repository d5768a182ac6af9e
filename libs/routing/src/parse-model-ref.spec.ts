import { PROVIDER_TYPES } from '@ish/contracts';
import { parseModelRef } from './parse-model-ref';

describe('parseModelRef', () => {
  it('keeps a plain model id', () => {
    expect(parseModelRef('gpt-4o')).toEqual({ model: 'gpt-4o' });
    expect(parseModelRef('auto')).toEqual({ model: 'auto' });
  });

  it.each(PROVIDER_TYPES)('splits the known provider prefix %s', (provider) => {
    expect(parseModelRef(`${provider}/some-model`)).toEqual({ provider, model: 'some-model' });
  });

  it('splits at the first slash only', () => {
    expect(parseModelRef('groq/meta-llama/llama-4-scout-17b-16e-instruct')).toEqual({
      provider: 'groq',
      model: 'meta-llama/llama-4-scout-17b-16e-instruct',
    });
  });

  it('leaves ids whose prefix is not a provider alone', () => {
    expect(parseModelRef('meta-llama/llama-4-scout-17b-16e-instruct')).toEqual({ model: 'meta-llama/llama-4-scout-17b-16e-instruct' });
    expect(parseModelRef('qwen/qwen3-32b')).toEqual({ model: 'qwen/qwen3-32b' });
  });

  it('accepts provider/auto', () => {
    expect(parseModelRef('anthropic/auto')).toEqual({ provider: 'anthropic', model: 'auto' });
  });

  it('reads the prefix case-insensitively and trims', () => {
    expect(parseModelRef('  OpenAI/gpt-4o ')).toEqual({ provider: 'openai', model: 'gpt-4o' });
  });

  it('does not split an empty side', () => {
    expect(parseModelRef('openai/')).toEqual({ model: 'openai/' });
    expect(parseModelRef('/gpt-4o')).toEqual({ model: '/gpt-4o' });
  });
});
