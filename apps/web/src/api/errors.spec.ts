import { ApiFailure, describeError, errorFor, fieldErrors, isAbort, toApiFailure } from './errors';

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });

describe('toApiFailure', () => {
  it('reads the API.md error shape with details, request id and Retry-After', () => {
    const failure = toApiFailure(
      429,
      JSON.stringify({ error: { type: 'rate_limit_error', code: 'rate_limited', message: 'Slow down', details: [{ field: 'x', message: 'y' }, { nope: 1 }] } }),
      headers({ 'x-request-id': 'r-1', 'retry-after': '7' }),
    );
    expect(failure).toBeInstanceOf(ApiFailure);
    expect([failure.status, failure.type, failure.code, failure.message, failure.requestId, failure.retryAfterSeconds]).toEqual([429, 'rate_limit_error', 'rate_limited', 'Slow down', 'r-1', 7]);
    expect(failure.details).toEqual([{ field: 'x', message: 'y' }]);
  });

  it('makes a failure of a body that is not ours, typed by the status', () => {
    expect(toApiFailure(502, '<html>Bad Gateway</html>')).toMatchObject({ type: 'upstream_error', code: 'http_502', message: 'The gateway answered HTTP 502', requestId: null });
    expect(toApiFailure(404, '')).toMatchObject({ type: 'not_found_error' });
    expect(toApiFailure(418, 'null')).toMatchObject({ type: 'api_error', code: 'http_418' });
  });
});

describe('describeError', () => {
  it('lists the fields of a validation error', () => {
    const failure = new ApiFailure(400, 'invalid_request_error', 'validation_failed', 'Invalid request: check url', [{ field: 'url', message: 'must be an https URL' }]);
    expect(describeError(failure)).toBe('Invalid request: check url — url: must be an https URL');
  });

  it('says what a 401, 403, 429 and 5xx mean', () => {
    expect(describeError(new ApiFailure(401, 'authentication_error', 'invalid_login', 'Wrong email or password'))).toBe('Wrong email or password');
    expect(describeError(new ApiFailure(403, 'permission_error', 'insufficient_scope', 'Needs instances:write'))).toBe('Not allowed: Needs instances:write');
    expect(describeError(new ApiFailure(429, 'rate_limit_error', 'rate_limited', 'Rate limit reached', [], null, 12))).toBe('Too many requests; try again in 12 s. Rate limit reached');
    expect(describeError(new ApiFailure(503, 'upstream_error', 'no_healthy_instance', 'No healthy instance', [], 'abc'))).toBe('No healthy instance (HTTP 503, request abc)');
  });

  it('explains a network failure and passes other errors through', () => {
    expect(describeError(new TypeError('Failed to fetch'))).toMatch(/cannot be reached/);
    expect(describeError(new Error('boom'))).toBe('boom');
    expect(describeError('plain')).toBe('plain');
  });
});

describe('isAbort', () => {
  it('recognises an aborted fetch', () => {
    const controller = new AbortController();
    controller.abort();
    expect(isAbort(controller.signal.reason)).toBe(true);
    expect(isAbort(new Error('x'))).toBe(false);
  });
});

describe('fieldErrors', () => {
  it('maps each detail to its field, joining two messages about one field', () => {
    const failure = toApiFailure(400, JSON.stringify({ error: { type: 'invalid_request_error', code: 'validation_failed', message: 'Invalid request', param: 'budget.limitUsd', details: [{ field: 'budget.limitUsd', message: 'limitUsd must be greater than 0' }, { field: 'budget.period', message: 'period must be one of day, week, month, total' }, { field: 'budget.period', message: 'must be a string' }, { message: 'no field' }] } }));
    expect(failure.param).toBe('budget.limitUsd');
    expect(fieldErrors(failure)).toEqual({ 'budget.limitUsd': 'limitUsd must be greater than 0', 'budget.period': 'period must be one of day, week, month, total; must be a string' });
  });

  it('names the param of an answer without details with its message (a 403 on a field)', () => {
    const failure = toApiFailure(403, JSON.stringify({ error: { type: 'permission_error', code: 'budget_above_user', message: 'A key cannot have a budget above its user\'s', param: 'budget' } }));
    expect(fieldErrors(failure)).toEqual({ budget: 'A key cannot have a budget above its user\'s' });
  });

  it('has nothing to say about an error that is not an API answer, or one naming no field', () => {
    expect(fieldErrors(new Error('offline'))).toEqual({});
    expect(fieldErrors(toApiFailure(500, '{"error":{"type":"api_error","code":"x","message":"boom"}}'))).toEqual({});
  });
});

describe('errorFor', () => {
  it('finds the message of a field or of a field under it', () => {
    const fields = { 'budget.limitUsd': 'must be greater than 0', tokensPerMinute: 'must be an integer' };
    expect(errorFor(fields, 'budget')).toBe('must be greater than 0');
    expect(errorFor(fields, 'budget.limitUsd')).toBe('must be greater than 0');
    expect(errorFor(fields, 'tokensPerMinute')).toBe('must be an integer');
    expect(errorFor(fields, 'allowedModels')).toBeUndefined();
    expect(errorFor(fields, 'budget.period')).toBeUndefined();
  });
});
