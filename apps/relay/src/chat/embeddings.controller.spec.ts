import { plainToInstance } from 'class-transformer';
import { EmbeddingsRequest } from '@ish/contracts';
import { upstreamParams } from './embeddings.controller';
import { formatUsd } from './served-headers';

describe('EmbeddingsController helpers', () => {
  it('forwards what the client gave, encoding_format included, and leaves null parameters out', () => {
    const given = plainToInstance(EmbeddingsRequest, { model: 'm', input: ['a', 'b'], encoding_format: 'base64', dimensions: 8, user: 'u' });
    expect(upstreamParams(given)).toEqual({ model: 'm', input: ['a', 'b'], encoding_format: 'base64', dimensions: 8, user: 'u' });
    const bare = upstreamParams(plainToInstance(EmbeddingsRequest, { model: 'm', input: [1, 2], encoding_format: null, dimensions: null }));
    expect(JSON.stringify(bare)).toBe('{"model":"m","input":[1,2]}');
  });

  it('writes a cost in plain decimals, never in exponent notation', () => {
    expect(formatUsd(0)).toBe('0');
    expect(formatUsd(1e-7)).toBe('0.0000001');
    expect(formatUsd(0.00013)).toBe('0.00013');
    expect(formatUsd(2.5)).toBe('2.5');
  });
});
