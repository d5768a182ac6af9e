import { validateSync } from 'class-validator';
import { IsModelFallbacks, MAX_FALLBACKS_PER_MODEL, modelFallbacksProblems } from './model-fallbacks';

class Policy {
  @IsModelFallbacks() fallbacks: unknown;
}

function messagesFor(fallbacks: unknown): string[] {
  const policy = Object.assign(new Policy(), { fallbacks });
  return validateSync(policy).flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('model fallbacks', () => {
  it('accepts a map of models to non-empty lists of models', () => {
    expect(modelFallbacksProblems({})).toEqual([]);
    expect(modelFallbacksProblems({ 'gpt-4o': ['gpt-4o-mini', 'groq/llama-3.3-70b'], 'sim-small': ['gpt-4o'] })).toEqual([]);
    expect(messagesFor({ 'gpt-4o': ['gpt-4o-mini'] })).toEqual([]);
  });

  it.each([null, 'gpt-4o', ['gpt-4o'], 42])('refuses %p as a whole', (value) => {
    expect(modelFallbacksProblems(value)).toEqual([{ field: 'fallbacks', message: expect.stringMatching(/object/) }]);
  });

  it('names each model whose list is wrong', () => {
    expect(
      modelFallbacksProblems({
        ok: ['a'],
        empty: [],
        notAList: 'b',
        blank: [' '],
        number: [1],
        long: Array.from({ length: MAX_FALLBACKS_PER_MODEL + 1 }, (_, i) => `m${i}`),
      }).map((problem) => problem.field),
    ).toEqual(['fallbacks.empty', 'fallbacks.notAList', 'fallbacks.blank', 'fallbacks.number', 'fallbacks.long']);
    expect(modelFallbacksProblems({ ' ': ['a'] })).toEqual([{ field: 'fallbacks. ', message: expect.stringMatching(/model ids/) }]);
  });

  it('says which model is wrong in the validation message', () => {
    expect(messagesFor({ 'gpt-4o': [] })).toEqual(['fallbacks.gpt-4o must be a non-empty list of models']);
  });
});
