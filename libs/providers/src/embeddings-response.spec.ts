import { embeddingsAnswer, float32Base64, float32FromBase64, MalformedEmbeddingsError } from './embeddings-response';

// what OpenAI answers for [0.5, -1.25] with encoding_format base64: little-endian float32
const HALF_MINUS_ONE_QUARTER = Buffer.from([0x00, 0x00, 0x00, 0x3f, 0x00, 0x00, 0xa0, 0xbf]).toString('base64');

const upstream = (embeddings: unknown[], extra: object = {}) => ({
  object: 'list',
  data: embeddings.map((embedding, index) => ({ object: 'embedding', index, embedding })),
  model: 'text-embedding-3-small',
  usage: { prompt_tokens: 4, total_tokens: 4 },
  ...extra,
});

describe('float32 base64', () => {
  it('encodes as little-endian float32, as OpenAI and the openai SDK do', () => {
    expect(float32Base64([0.5, -1.25])).toBe(HALF_MINUS_ONE_QUARTER);
    expect(float32FromBase64(HALF_MINUS_ONE_QUARTER)).toEqual([0.5, -1.25]);
  });

  it('rounds to float32 on the way', () => {
    expect(float32FromBase64(float32Base64([0.1]))).toEqual([Math.fround(0.1)]);
  });

  it('refuses text that is not whole float32s in base64', () => {
    expect(float32FromBase64('AAA=')).toBeUndefined();
    expect(float32FromBase64('not base64!')).toBeUndefined();
  });
});

describe('embeddingsAnswer', () => {
  it("answers OpenAI's exact shape, and nothing else the provider added", () => {
    const answer = embeddingsAnswer({ ...upstream([[0.5, -1.25]]), id: 'x', created: 1 }, 'float', 1, 'asked');
    expect(answer).toEqual({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.5, -1.25] }],
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: 4, total_tokens: 4 },
    });
  });

  it('converts floats to base64 when the client asked base64 and the provider cannot encode', () => {
    expect(embeddingsAnswer(upstream([[0.5, -1.25]]), 'base64', 1, 'm').data[0].embedding).toBe(HALF_MINUS_ONE_QUARTER);
  });

  it('passes base64 through, and decodes it when the client asked floats', () => {
    expect(embeddingsAnswer(upstream([HALF_MINUS_ONE_QUARTER]), 'base64', 1, 'm').data[0].embedding).toBe(HALF_MINUS_ONE_QUARTER);
    expect(embeddingsAnswer(upstream([HALF_MINUS_ONE_QUARTER]), 'float', 1, 'm').data[0].embedding).toEqual([0.5, -1.25]);
  });

  it('fills a missing model, index and total_tokens, and counts missing usage as 0', () => {
    const answer = embeddingsAnswer({ data: [{ embedding: [1] }, { embedding: [2] }], usage: { prompt_tokens: 3 } }, 'float', 2, 'asked');
    expect(answer.model).toBe('asked');
    expect(answer.data.map((d) => d.index)).toEqual([0, 1]);
    expect(answer.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    expect(embeddingsAnswer({ data: [{ embedding: [1] }] }, 'float', 1, 'm').usage).toEqual({ prompt_tokens: 0, total_tokens: 0 });
  });

  it.each([
    ['no data list', { object: 'list' }],
    ['a body that is not an object', 'oops'],
    ['fewer embeddings than inputs', upstream([[1]])],
    ['a vector of strings', upstream([['a'], [1]])],
    ['a vector that is not base64 float32', upstream(['AAA=', [1]])],
  ])('refuses %s as a failed attempt', (_what, body) => {
    expect(() => embeddingsAnswer(body, 'float', 2, 'm')).toThrow(MalformedEmbeddingsError);
  });
});
