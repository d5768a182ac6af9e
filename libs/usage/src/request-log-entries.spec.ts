import { requestLogConditions, toRequestLogEntry } from './request-log-entries';

describe('requestLogConditions', () => {
  it('matches everything without a filter', () => {
    expect(requestLogConditions({})).toEqual({ where: 'true', params: [] });
  });

  it('numbers the parameters of every filter in order', () => {
    expect(requestLogConditions({ userId: 'u', apiKeyId: 'k', before: '42', model: 'm', status: '429' })).toEqual({
      where: 'user_id = $1 AND api_key_id = $2 AND id < $3::bigint AND model = $4 AND status_code = $5::int',
      params: ['u', 'k', '42', 'm', 429],
    });
  });

  it('reads success and error as outcomes', () => {
    expect(requestLogConditions({ status: 'success' }).where).toBe(`outcome = 'success'`);
    expect(requestLogConditions({ status: 'error', userId: 'u' })).toEqual({ where: `user_id = $1 AND outcome <> 'success'`, params: ['u'] });
  });
});

describe('toRequestLogEntry', () => {
  const row = {
    id: '7',
    createdAt: new Date('2026-12-03T10:00:00Z'),
    requestId: 'r',
    route: '/api/v1/chat/completions',
    model: 'm',
    provider: 'openai',
    instanceId: 'i',
    apiKeyId: null,
    status: 200,
    outcome: 'success',
    latencyMs: 12,
    promptTokens: 3,
    completionTokens: 4,
    costUsd: 0.001,
  };

  it('answers the time in ISO 8601 and leaves error out when there is none', () => {
    const entry = toRequestLogEntry({ ...row, error: null });
    expect(entry.createdAt).toBe('2026-12-03T10:00:00.000Z');
    expect('error' in entry).toBe(false);
  });

  it('keeps the error of a failed call', () => {
    expect(toRequestLogEntry({ ...row, outcome: 'timeout', status: null, error: 'timed out' }).error).toBe('timed out');
  });
});
