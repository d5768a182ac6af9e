import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { UsageQuery } from './auth';

const problems = (query: Record<string, string>) =>
  validateSync(plainToInstance(UsageQuery, query)).flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`));

describe('UsageQuery', () => {
  it('takes dates a report can name', () => {
    expect(problems({})).toEqual([]);
    expect(problems({ from: '2024-01-01T00:00:00Z', to: '2024-02-01' })).toEqual([]);
    expect(problems({ from: '1970-01-01T00:00:00Z', to: '9999-12-31T23:59:59.999Z' })).toEqual([]);
  });

  it('refuses the dates JavaScript holds and PostgreSQL does not (found by the fuzz: they were a 500)', () => {
    expect(problems({ to: '-271821-04-20T00:00:00.000Z' })).toEqual(['to: to must be between 1970-01-01 and 9999-12-31']);
    expect(problems({ from: '+275760-09-13T00:00:00.000Z' })).toEqual(['from: from must be between 1970-01-01 and 9999-12-31']);
    expect(problems({ from: 'yesterday' })).toEqual(expect.arrayContaining([expect.stringMatching(/^from: .*Date/)]));
  });
});
