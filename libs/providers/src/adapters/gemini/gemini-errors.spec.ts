import { classifyUpstreamError } from '../../classify-upstream-error';
import { GeminiApiError, mapGeminiError } from './gemini-errors';

function googleError(code: number, status: string, message = 'm', details?: object[]) {
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}

describe('mapGeminiError', () => {
  it.each([
    [400, 'INVALID_ARGUMENT', 400, 'invalid_request_error', 'invalid_argument', 'client_error'],
    [400, 'FAILED_PRECONDITION', 400, 'invalid_request_error', 'failed_precondition', 'client_error'],
    [403, 'PERMISSION_DENIED', 403, 'permission_error', 'permission_denied', 'client_error'],
    [404, 'NOT_FOUND', 404, 'not_found_error', 'not_found', 'client_error'],
    [429, 'RESOURCE_EXHAUSTED', 429, 'rate_limit_error', 'resource_exhausted', 'rate_limited'],
    [500, 'INTERNAL', 500, 'upstream_error', 'internal', 'retryable'],
    [503, 'UNAVAILABLE', 503, 'upstream_error', 'unavailable', 'retryable'],
    [504, 'DEADLINE_EXCEEDED', 504, 'upstream_error', 'deadline_exceeded', 'retryable'],
  ])('%i %s → %i %s %s (%s)', (httpStatus, googleStatus, status, type, code, kind) => {
    const error = mapGeminiError(httpStatus, googleError(httpStatus, googleStatus, 'upstream says no'));
    expect(error).toBeInstanceOf(GeminiApiError);
    expect(error).toMatchObject({ status, type, code, message: 'upstream says no' });
    expect(classifyUpstreamError(error).kind).toBe(kind);
  });

  it('treats a bad key (400 INVALID_ARGUMENT, reason API_KEY_INVALID) as 401 invalid_api_key', () => {
    const body = googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
    ]);
    expect(mapGeminiError(400, body)).toMatchObject({ status: 401, type: 'authentication_error', code: 'invalid_api_key' });
  });

  it("turns RetryInfo's retryDelay into retry-after, which failover reads", () => {
    const body = googleError(429, 'RESOURCE_EXHAUSTED', 'quota', [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '36.2s' }]);
    const error = mapGeminiError(429, body);
    expect(error.headers).toEqual({ 'retry-after': '37' });
    expect(classifyUpstreamError(error, 0)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 37_000 });
  });

  it('falls back to the HTTP status when the body is not Google\'s shape', () => {
    expect(mapGeminiError(503, '<html>busy</html>')).toMatchObject({ status: 503, code: 'unavailable', message: 'Gemini answered 503 UNAVAILABLE' });
    expect(mapGeminiError(502, undefined)).toMatchObject({ status: 500, type: 'upstream_error', code: 'internal' });
    expect(mapGeminiError(418, { error: {} })).toMatchObject({ status: 400, code: 'invalid_argument' });
  });
});
