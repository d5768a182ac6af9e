import { validateSync } from 'class-validator';
import { IsModelAliases, modelAliasesProblems } from './model-aliases';

class Policy {
  @IsModelAliases() aliases: unknown;
}

function messagesFor(aliases: unknown): string[] {
  const policy = Object.assign(new Policy(), { aliases });
  return validateSync(policy).flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('model aliases', () => {
  it('accepts a map of public names to non-empty lists of models', () => {
    expect(modelAliasesProblems({})).toEqual([]);
    expect(modelAliasesProblems({ fast: ['gpt-4o-mini', 'groq/llama-3.1-8b-instant'], smart: ['gpt-4o'] })).toEqual([]);
    expect(messagesFor({ fast: ['gpt-4o-mini'] })).toEqual([]);
  });

  it.each([null, 'fast', ['fast'], 42])('refuses %p as a whole, naming aliases', (value) => {
    expect(modelAliasesProblems(value)).toEqual([{ field: 'aliases', message: expect.stringMatching(/object/) }]);
  });

  it('names each alias whose list is empty, not a list or blank', () => {
    expect(modelAliasesProblems({ ok: ['a'], empty: [], notAList: 'b', blank: [' '] }).map((problem) => problem.field)).toEqual([
      'aliases.empty',
      'aliases.notAList',
      'aliases.blank',
    ]);
  });

  it('refuses an alias that lists another alias', () => {
    expect(modelAliasesProblems({ fast: ['gpt-4o-mini'], best: ['gpt-4o', ' fast'] })).toEqual([
      { field: 'aliases.best', message: 'must list models, not aliases (fast)' },
    ]);
    expect(modelAliasesProblems({ loop: ['loop'] }).map((problem) => problem.field)).toEqual(['aliases.loop']);
    expect(messagesFor({ fast: [], best: ['fast'] })).toEqual(['aliases.fast must be a non-empty list of models']);
  });
});
