import { ApiError } from '@ish/platform';
import { invalidRequest } from '@ish/providers';
import { AnthropicRequestError, toAnthropicErrorResponse } from './anthropic-exception.filter';

describe('toAnthropicErrorResponse', () => {
  it('answers a refusal already in Anthropic shape as it is', () => {
    const refusal = invalidRequest('max_tokens: Field required', 'validation_error');
    expect(toAnthropicErrorResponse(new AnthropicRequestError(refusal))).toEqual({ ...refusal, headers: {}, unexpected: false });
  });

  it.each([
    [401, 'authentication_error', 'invalid_credential', ApiError.unauthorized()],
    [403, 'permission_error', 'insufficient_scope', ApiError.forbidden('This needs the scope chat')],
    [404, 'not_found_error', 'model_not_found', new ApiError(404, 'invalid_request_error', 'model_not_found', 'no such model')],
    [503, 'overloaded_error', 'no_healthy_instance', ApiError.unavailable('no healthy instance', 'no_healthy_instance')],
  ])('maps our %i to Anthropic type %s, keeping our code %s', (status, type, code, error) => {
    const answer = toAnthropicErrorResponse(error);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ type: 'error', error: { type, code, message: error.message } });
  });

  it('keeps the headers of a 429 (Retry-After, x-should-retry)', () => {
    const limited = new ApiError(429, 'rate_limit_error', 'budget_exceeded', 'budget spent', undefined, { 'Retry-After': '60', 'x-should-retry': 'false' });
    const answer = toAnthropicErrorResponse(limited);
    expect(answer.body.error).toEqual({ type: 'rate_limit_error', code: 'budget_exceeded', message: 'budget spent' });
    expect(answer.headers).toEqual({ 'Retry-After': '60', 'x-should-retry': 'false' });
  });

  it('never shows an unexpected error: 500 api_error with a generic message, marked for the log', () => {
    const answer = toAnthropicErrorResponse(new Error('secret stack detail'));
    expect(answer).toMatchObject({ status: 500, unexpected: true, body: { type: 'error', error: { type: 'api_error', code: 'internal_error' } } });
    expect(answer.body.error.message).not.toContain('secret');
  });
});
