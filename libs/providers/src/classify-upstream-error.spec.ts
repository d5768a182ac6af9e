import { classifyUpstreamError } from './classify-upstream-error';
import { ProviderAbortError, ProviderHttpError, ProviderTimeoutError } from './provider-client';
import { UnsupportedParameterError } from './adapters/unsupported-parameter';
import { GeminiInvalidRequestError } from './adapters/gemini';

const NOW = Date.parse('2025-06-01T12:00:00Z');

function body(message: string, code?: string) {
  return { message, type: 'invalid_request_error', param: null, code: code ?? null };
}

describe('classifyUpstreamError', () => {
  describe('ProviderClient errors', () => {
    const http = (status: number, error: unknown, headers: Record<string, string> = {}) => {
      const fields = (typeof error === 'object' && error !== null ? error : {}) as { message?: string; code?: string | null };
      return new ProviderHttpError(status, headers, error, fields.code ?? undefined, fields.message ?? `upstream answered ${status}`);
    };

    it('ProviderAbortError is aborted', () => {
      expect(classifyUpstreamError(new ProviderAbortError(), NOW)).toEqual({ kind: 'aborted', message: 'the request was cancelled' });
    });

    it('ProviderTimeoutError is a retryable timeout', () => {
      expect(classifyUpstreamError(new ProviderTimeoutError('no answer within 5 ms'), NOW)).toEqual({ kind: 'retryable', message: 'no answer within 5 ms', timedOut: true });
    });

    it('a connection error is retryable, not a timeout, and does not name where our instance lives', () => {
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
      expect(classifyUpstreamError(refused, NOW)).toEqual({ kind: 'retryable', message: 'connect ECONNREFUSED [address]' });
    });

    it('an upstream body that is not ours to pass on is cut short and cleaned', () => {
      const failure = classifyUpstreamError({ status: 400, error: { message: `see http://10.0.0.5:8000/v1 Authorization: Bearer abcdefghijklmnop ${'x'.repeat(1000)}` } }, NOW);
      expect(failure.message).toMatch(/^see \[url\] Authorization: \[redacted\] x+…$/);
      expect(failure.message.length).toBeLessThanOrEqual(300);
    });

    it.each([
      [500, 'The server had an error'],
      [502, 'Bad gateway'],
      [503, 'The engine is currently overloaded'],
      [529, 'Overloaded'],
    ])('%i is retryable', (status, message) => {
      expect(classifyUpstreamError(http(status, body(message)), NOW)).toEqual({ kind: 'retryable', status, message });
    });

    it('504 and 408 are retryable timeouts', () => {
      expect(classifyUpstreamError(http(504, null), NOW)).toEqual({ kind: 'retryable', status: 504, message: 'upstream answered 504', timedOut: true });
      expect(classifyUpstreamError(http(408, body('Request timeout')), NOW)).toEqual({ kind: 'retryable', status: 408, message: 'Request timeout', timedOut: true });
    });

    it('429 is rate_limited with Retry-After in seconds', () => {
      expect(classifyUpstreamError(http(429, body('Rate limit reached', 'rate_limit_exceeded'), { 'retry-after': '7' }), NOW)).toEqual({
        kind: 'rate_limited',
        status: 429,
        message: 'Rate limit reached',
        code: 'rate_limit_exceeded',
        retryAfterMs: 7000,
      });
    });

    it('429 honours retry-after-ms and HTTP dates', () => {
      expect(classifyUpstreamError(http(429, body('slow down'), { 'retry-after': '1', 'retry-after-ms': '50' }), NOW).retryAfterMs).toBe(50);
      expect(classifyUpstreamError(http(429, body('slow down'), { 'retry-after': 'Sun, 01 Jun 2025 12:01:00 GMT' }), NOW).retryAfterMs).toBe(60_000);
    });

    it('429 without Retry-After has no retryAfterMs', () => {
      expect(classifyUpstreamError(http(429, body('slow down')), NOW)).toEqual({ kind: 'rate_limited', status: 429, message: 'slow down' });
    });

    it.each([400, 401, 403, 404, 409, 413, 422])('%i is a client error with the upstream message and code', (status) => {
      expect(classifyUpstreamError(http(status, body(`upstream says ${status}`, 'some_code')), NOW)).toEqual({
        kind: 'client_error',
        status,
        message: `upstream says ${status}`,
        code: 'some_code',
      });
    });
  });

  describe('other errors', () => {
    it('reads any object with a numeric status', () => {
      expect(classifyUpstreamError({ status: 503, message: 'down' }, NOW)).toEqual({ kind: 'retryable', status: 503, message: 'down' });
      expect(classifyUpstreamError({ status: 400, error: { message: 'bad' } }, NOW)).toEqual({ kind: 'client_error', status: 400, message: 'bad' });
      expect(classifyUpstreamError({ status: 400, error: { message: 'bad', param: 'tool_choice' } }, NOW)).toEqual({ kind: 'client_error', status: 400, message: 'bad', param: 'tool_choice' });
      expect(classifyUpstreamError({ status: 429, headers: { 'retry-after': '2' } }, NOW)).toEqual({
        kind: 'rate_limited',
        status: 429,
        message: 'upstream answered 429',
        retryAfterMs: 2000,
      });
    });

    it('treats an unexpected status (3xx) as retryable', () => {
      expect(classifyUpstreamError({ status: 302, message: 'moved' }, NOW)).toMatchObject({ kind: 'retryable', status: 302 });
    });

    it('a DOM AbortError is aborted and a TimeoutError a retryable timeout', () => {
      expect(classifyUpstreamError(new DOMException('The operation was aborted.', 'AbortError'), NOW)).toEqual({
        kind: 'aborted',
        message: 'The operation was aborted.',
      });
      expect(classifyUpstreamError(new DOMException('signal timed out', 'TimeoutError'), NOW)).toEqual({
        kind: 'retryable',
        message: 'signal timed out',
        timedOut: true,
      });
    });

    it('a plain Error (a stream cut mid-way) is retryable', () => {
      expect(classifyUpstreamError(new TypeError('terminated'), NOW)).toEqual({ kind: 'retryable', message: 'terminated' });
      expect(classifyUpstreamError(new Error(''), NOW)).toEqual({ kind: 'retryable', message: 'Error' });
    });

    it('a thrown non-error is retryable with its text', () => {
      expect(classifyUpstreamError('socket hang up', NOW)).toEqual({ kind: 'retryable', message: 'socket hang up' });
      expect(classifyUpstreamError(undefined, NOW)).toEqual({ kind: 'retryable', message: 'undefined' });
    });

    it('uses the clock by default', () => {
      expect(classifyUpstreamError({ status: 429, headers: { 'retry-after': '1' } }).retryAfterMs).toBe(1000);
    });
  });

  describe('requests an adapter cannot map', () => {
    it('answers an unsupported parameter as the client\'s 400 naming it, never failed over', () => {
      expect(classifyUpstreamError(new UnsupportedParameterError('messages.0.content.1.input_audio', 'Anthropic'))).toMatchObject({
        kind: 'client_error',
        status: 400,
        code: 'unsupported_parameter',
        param: 'messages.0.content.1.input_audio',
      });
    });

    it("answers Gemini's unmappable request as a 400 with its param", () => {
      expect(classifyUpstreamError(new GeminiInvalidRequestError('messages.2', 'no call for this tool result'))).toMatchObject({ kind: 'client_error', status: 400, code: 'invalid_request', param: 'messages.2' });
    });

    it("keeps the provider's own param of a 400", () => {
      const error = new ProviderHttpError(400, {}, { message: 'bad', param: 'temperature' }, 'invalid_value', 'bad');
      expect(classifyUpstreamError(error).param).toBe('temperature');
    });
  });
});
