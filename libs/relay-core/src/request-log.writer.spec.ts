import { batchParameters, RequestLogRow } from './request-log.writer';

const row = (over: Partial<RequestLogRow> = {}): RequestLogRow => ({
  instanceId: 'i1',
  userId: 'u1',
  apiKeyId: null,
  model: 'gpt-4o',
  providerType: 'openai',
  promptTokens: 3,
  completionTokens: 5,
  costUsd: 0.0000125,
  latencyMs: 42,
  outcome: 'success',
  statusCode: 200,
  unpriced: false,
  requestId: 'r1',
  route: '/api/v1/chat/completions',
  error: null,
  bodies: null,
  ...over,
});

describe('batchParameters', () => {
  it('turns rows into one array per column, in INSERT order, cost as a 6-decimal string', () => {
    expect(batchParameters([row(), row({ instanceId: 'i2', apiKeyId: 'k1', outcome: 'timeout', statusCode: null, costUsd: 1.5, unpriced: true, error: 'timed out', bodies: { request: { a: 1 }, response: null } })])).toEqual([
      ['i1', 'i2'],
      ['u1', 'u1'],
      [null, 'k1'],
      ['gpt-4o', 'gpt-4o'],
      ['openai', 'openai'],
      [3, 3],
      [5, 5],
      ['0.000013', '1.500000'],
      [42, 42],
      ['success', 'timeout'],
      [200, null],
      [false, true],
      ['r1', 'r1'],
      ['/api/v1/chat/completions', '/api/v1/chat/completions'],
      [null, 'timed out'],
      [null, '{"request":{"a":1},"response":null}'],
    ]);
  });
});
