import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EmbeddingsRequest } from './embeddings';
import { embeddingInputProblem, embeddingInputs, MAX_EMBEDDING_INPUTS } from './validation/embedding-input';

/** the fields at fault and their messages, as the API's validation pipe reports them */
function problems(body: Record<string, unknown>): Record<string, string[]> {
  const errors = validateSync(plainToInstance(EmbeddingsRequest, body), { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  return Object.fromEntries(errors.map((e) => [e.property, Object.values(e.constraints ?? {})]));
}

describe('EmbeddingsRequest', () => {
  const model = 'text-embedding-3-small';

  it.each([
    ['a string', 'hello world'],
    ['strings', ['hello', 'world']],
    ['a token array', [15339, 1917]],
    ['token arrays', [[15339], [1917, 0]]],
    ['2048 strings', Array.from({ length: MAX_EMBEDDING_INPUTS }, (_, i) => `input ${i}`)],
    ['a blank but not empty string', ' '],
  ])('accepts %s as input', (_what, input) => {
    expect(problems({ model, input })).toEqual({});
  });

  it('accepts every optional parameter of the OpenAI request', () => {
    expect(problems({ model, input: 'x', encoding_format: 'float', dimensions: 256, user: 'user-1' })).toEqual({});
    expect(problems({ model, input: 'x', encoding_format: 'base64', dimensions: 1 })).toEqual({});
  });

  it.each([
    ['an empty string', '', 'input must not be an empty string'],
    ['an empty array', [], 'input must not be an empty array'],
    ['an empty string among strings', ['a', ''], 'input[1] must not be an empty string'],
    ['more than 2048 inputs', Array.from({ length: MAX_EMBEDDING_INPUTS + 1 }, () => 'a'), `input must hold at most ${MAX_EMBEDDING_INPUTS} inputs, got ${MAX_EMBEDDING_INPUTS + 1}`],
    ['a token that is not an integer', [1, 2.5], 'input[1] must be a token id (an integer >= 0)'],
    ['a negative token', [-1], 'input[0] must be a token id (an integer >= 0)'],
    ['a token array with a non-integer', [[1], [2, '3']], 'input[1][1] must be a token id (an integer >= 0)'],
    ['an empty token array', [[1], []], 'input[1] must not be an empty token array'],
    ['strings mixed with tokens', ['a', 1], 'input[1] must be a string like the other inputs'],
    ['token arrays mixed with strings', [[1], 'a'], 'input[1] must be a token array like the other inputs'],
    ['null items', [null], 'input[0] must be a string, a token id or a token array'],
    ['a number', 42, 'input must be a string, an array of strings, an array of token ids or an array of token arrays'],
    ['nothing', undefined, 'input must be a string, an array of strings, an array of token ids or an array of token arrays'],
  ])('refuses %s as input', (_what, input, message) => {
    expect(problems({ model, input })).toEqual({ input: [message] });
  });

  it.each([0, -1, 1.5, '256'])('refuses dimensions %p', (dimensions) => {
    expect(Object.keys(problems({ model, input: 'x', dimensions }))).toEqual(['dimensions']);
  });

  it.each(['base32', 'FLOAT', 1])('refuses encoding_format %p', (encoding_format) => {
    expect(Object.keys(problems({ model, input: 'x', encoding_format }))).toEqual(['encoding_format']);
  });

  it('refuses a missing or empty model and unknown fields', () => {
    expect(Object.keys(problems({ input: 'x' }))).toEqual(['model']);
    expect(Object.keys(problems({ model: '', input: 'x' }))).toEqual(['model']);
    expect(Object.keys(problems({ model, input: 'x', stream: true }))).toEqual(['stream']);
  });
});

describe('embeddingInputs', () => {
  it('lists one entry per embedding OpenAI answers', () => {
    expect(embeddingInputs('a')).toEqual(['a']);
    expect(embeddingInputs(['a', 'b'])).toEqual(['a', 'b']);
    expect(embeddingInputs([1, 2])).toEqual([[1, 2]]);
    expect(embeddingInputs([[1], [2, 3]])).toEqual([[1], [2, 3]]);
  });

  it('agrees with the validator on what is valid', () => {
    expect(embeddingInputProblem([[1], [2, 3]])).toBeNull();
  });
});
