import { anthropicErrorTypeForStatus, invalidRequest, toAnthropicError } from './anthropic-errors';

describe('Anthropic errors', () => {
  it('maps our statuses to Anthropic error types', () => {
    const statuses = [400, 401, 402, 403, 404, 409, 413, 422, 429, 500, 502, 503, 504, 529];
    expect(Object.fromEntries(statuses.map((s) => [s, anthropicErrorTypeForStatus(s)]))).toEqual({
      400: 'invalid_request_error',
      401: 'authentication_error',
      402: 'billing_error',
      403: 'permission_error',
      404: 'not_found_error',
      409: 'conflict_error',
      413: 'request_too_large',
      422: 'invalid_request_error',
      429: 'rate_limit_error',
      500: 'api_error',
      502: 'api_error',
      503: 'overloaded_error',
      504: 'timeout_error',
      529: 'overloaded_error',
    });
  });

  it('turns one of our API errors into Anthropic’s shape, keeping status and code', () => {
    expect(toAnthropicError({ status: 429, code: 'rate_limited', message: 'Slow down' })).toEqual({
      status: 429,
      body: { type: 'error', error: { type: 'rate_limit_error', code: 'rate_limited', message: 'Slow down' } },
    });
    expect(toAnthropicError({ status: 403, code: 'model_not_allowed', message: 'No' }).body.error.type).toBe('permission_error');
    expect(invalidRequest('messages: Field required')).toEqual({
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', code: 'invalid_request', message: 'messages: Field required' } },
    });
  });
});
