import { embeddingsBody, embeddingVector, float32Base64, inputTokens, nativeDimensions, parseEmbeddingsRequest } from './embeddings';

const MODELS = new Set(['text-embedding-3-small', 'text-embedding-3-large', 'sim-embed']);
const norm = (vector: number[]) => Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));

function parsed(body: Record<string, unknown>) {
  const result = parseEmbeddingsRequest(body, MODELS);
  if (!result.ok) throw new Error(`refused: ${result.error.body.error.message}`);
  return result.request;
}

function refusal(body: unknown) {
  const result = parseEmbeddingsRequest(body, MODELS);
  if (result.ok) throw new Error('accepted');
  return { status: result.error.status, param: result.error.body.error.param, code: result.error.body.error.code };
}

describe('provider-sim embeddings', () => {
  it("sizes vectors like OpenAI's models: 1536 for -3-small, 3072 for -3-large, 1536 otherwise", () => {
    expect(nativeDimensions('text-embedding-3-small')).toBe(1536);
    expect(nativeDimensions('text-embedding-3-large')).toBe(3072);
    expect(nativeDimensions('sim-embed')).toBe(1536);
    expect(parsed({ model: 'text-embedding-3-large', input: 'a' }).dimensions).toBe(3072);
    expect(parsed({ model: 'text-embedding-3-small', input: 'a', dimensions: 8 }).dimensions).toBe(8);
  });

  it('derives a unit vector from the model and the input, the same every time', () => {
    const vector = embeddingVector('sim-embed', 'hello', 1536);
    expect(vector).toHaveLength(1536);
    expect(norm(vector)).toBeCloseTo(1, 5);
    expect(embeddingVector('sim-embed', 'hello', 1536)).toEqual(vector);
    expect(embeddingVector('sim-embed', 'hello!', 1536)).not.toEqual(vector);
    expect(embeddingVector('text-embedding-3-small', 'hello', 1536)).not.toEqual(vector);
    expect(embeddingVector('sim-embed', [1, 2], 4)).not.toEqual(embeddingVector('sim-embed', [1, 3], 4));
  });

  it('shortens a vector to dimensions as a normalised prefix of the full one', () => {
    const full = embeddingVector('sim-embed', 'hello', 1536);
    const short = embeddingVector('sim-embed', 'hello', 4);
    expect(norm(short)).toBeCloseTo(1, 5);
    const scale = short[0] / full[0];
    short.forEach((x, i) => expect(x).toBeCloseTo(full[i] * scale, 5));
  });

  it('encodes base64 as little-endian float32', () => {
    expect(float32Base64([0.5, -1.25])).toBe(Buffer.from([0, 0, 0, 0x3f, 0, 0, 0xa0, 0xbf]).toString('base64'));
  });

  it("answers OpenAI's list, in order, with usage counting words of texts and tokens of token arrays", () => {
    const body = embeddingsBody(parsed({ model: 'sim-embed', input: ['one two  three', 'four'], dimensions: 3 }));
    expect(body).toMatchObject({ object: 'list', model: 'sim-embed', usage: { prompt_tokens: 4, total_tokens: 4 } });
    expect(body.data.map((d) => [d.object, d.index])).toEqual([['embedding', 0], ['embedding', 1]]);
    expect(body.data[0].embedding).toEqual(embeddingVector('sim-embed', 'one two  three', 3));
    expect(embeddingsBody(parsed({ model: 'sim-embed', input: [[1, 2, 3], [4]] })).usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
    expect(inputTokens([5, 6])).toBe(2);
    const base64 = embeddingsBody(parsed({ model: 'sim-embed', input: 'x', dimensions: 2, encoding_format: 'base64' }));
    expect(base64.data[0].embedding).toBe(float32Base64(embeddingVector('sim-embed', 'x', 2)));
  });

  it('takes one token array as one input', () => {
    expect(parsed({ model: 'sim-embed', input: [1, 2, 3] }).inputs).toEqual([[1, 2, 3]]);
  });

  it.each([
    [{ model: 'sim-embed', input: '' }, 'input'],
    [{ model: 'sim-embed', input: [] }, 'input'],
    [{ model: 'sim-embed', input: ['a', ''] }, 'input'],
    [{ model: 'sim-embed', input: Array.from({ length: 2049 }, () => 'a') }, 'input'],
    [{ model: 'sim-embed', input: [1.5] }, 'input'],
    [{ model: 'sim-embed', input: [[1], []] }, 'input'],
    [{ model: 'sim-embed', input: [{}] }, 'input'],
    [{ model: 'sim-embed', input: 'a', encoding_format: 'base32' }, 'encoding_format'],
    [{ model: 'sim-embed', input: 'a', dimensions: 0 }, 'dimensions'],
    [{ model: 'sim-embed', input: 'a', dimensions: 1537 }, 'dimensions'],
    [{ model: 'sim-embed', input: 'a', dimensions: 2.5 }, 'dimensions'],
    [{ input: 'a' }, 'model'],
  ])('refuses %j with 400 naming %s', (body, param) => {
    expect(refusal(body)).toEqual({ status: 400, param, code: null });
  });

  it('answers 404 model_not_found for a model it does not serve', () => {
    expect(refusal({ model: 'other', input: 'a' })).toEqual({ status: 404, param: 'model', code: 'model_not_found' });
  });
});
