import { validateSync } from 'class-validator';
import { IsLessThanProperty } from './less-than-property';

class Band {
  @IsLessThanProperty('high') low: unknown;
  high: unknown;
}

function errors(low: unknown, high: unknown): string[] {
  return validateSync(Object.assign(new Band(), { low, high })).flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('IsLessThanProperty', () => {
  it('accepts a number below the other one', () => {
    expect(errors(0.2, 0.8)).toEqual([]);
  });

  it.each([
    [0.8, 0.8],
    [0.9, 0.8],
    ['0.2', 0.8],
  ])('refuses low=%p with high=%p', (low, high) => {
    expect(errors(low, high)).toEqual(['low must be less than high']);
  });

  it('leaves a missing or non-numeric other field to its own validators', () => {
    expect(errors(0.2, undefined)).toEqual([]);
    expect(errors(0.2, 'x')).toEqual([]);
  });
});
