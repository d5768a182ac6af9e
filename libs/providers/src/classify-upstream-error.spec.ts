import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from 'openai';
import { classifyUpstreamError } from './classify-upstream-error';

const NOW = Date.parse('2025-06-01T12:00:00Z');

function body(message: string, code?: string) {
  return { message, type: 'invalid_request_error', param: null, code: code ?? null };
}

describe('classifyUpstreamError', () => {
  describe('openai SDK errors', () => {
    it('APIUserAbortError is aborted', () => {
      expect(classifyUpstreamError(new APIUserAbortError(), NOW)).toEqual({ kind: 'aborted', message: 'Request was aborted.' });
    });

    it('APIConnectionTimeoutError is a retryable timeout', () => {
      expect(classifyUpstreamError(new APIConnectionTimeoutError(), NOW)).toEqual({
        kind: 'retryable',
        message: 'Request timed out.',
        timedOut: true,
      });
    });

    it('APIConnectionError is retryable, not a timeout', () => {
      const failure = classifyUpstreamError(new APIConnectionError({ cause: new Error('ECONNREFUSED') }), NOW);
      expect(failure).toEqual({ kind: 'retryable', message: 'Connection error.' });
    });

    it('an APIError without status (an error event inside a stream) is retryable', () => {
      expect(classifyUpstreamError(new APIError(undefined, { message: 'overloaded' }, undefined, undefined), NOW)).toMatchObject({
        kind: 'retryable',
      });
    });

    it.each([
      [500, 'The server had an error'],
      [502, 'Bad gateway'],
      [503, 'The engine is currently overloaded'],
      [529, 'Overloaded'],
    ])('InternalServerError %i is retryable', (status, message) => {
      const error = new InternalServerError(status, body(message), undefined, new Headers());
      expect(classifyUpstreamError(error, NOW)).toEqual({ kind: 'retryable', status, message });
    });

    it('504 and 408 are retryable timeouts', () => {
      expect(classifyUpstreamError(new InternalServerError(504, undefined, undefined, new Headers()), NOW)).toEqual({
        kind: 'retryable',
        status: 504,
        message: 'status code (no body)',
        timedOut: true,
      });
      expect(classifyUpstreamError(APIError.generate(408, { error: body('Request timeout') }, undefined, new Headers()), NOW)).toEqual({
        kind: 'retryable',
        status: 408,
        message: 'Request timeout',
        timedOut: true,
      });
    });

    it('RateLimitError is rate_limited with Retry-After in seconds', () => {
      const error = new RateLimitError(429, body('Rate limit reached', 'rate_limit_exceeded'), undefined, new Headers({ 'retry-after': '7' }));
      expect(classifyUpstreamError(error, NOW)).toEqual({
        kind: 'rate_limited',
        status: 429,
        message: 'Rate limit reached',
        code: 'rate_limit_exceeded',
        retryAfterMs: 7000,
      });
    });

    it('RateLimitError honours retry-after-ms and HTTP dates', () => {
      const ms = new RateLimitError(429, body('slow down'), undefined, new Headers({ 'retry-after': '1', 'retry-after-ms': '50' }));
      expect(classifyUpstreamError(ms, NOW).retryAfterMs).toBe(50);
      const date = new RateLimitError(429, body('slow down'), undefined, new Headers({ 'retry-after': 'Sun, 01 Jun 2025 12:01:00 GMT' }));
      expect(classifyUpstreamError(date, NOW).retryAfterMs).toBe(60_000);
    });

    it('RateLimitError without Retry-After has no retryAfterMs', () => {
      const failure = classifyUpstreamError(new RateLimitError(429, body('slow down'), undefined, new Headers()), NOW);
      expect(failure).toEqual({ kind: 'rate_limited', status: 429, message: 'slow down' });
    });

    it.each([
      [BadRequestError, 400],
      [AuthenticationError, 401],
      [PermissionDeniedError, 403],
      [NotFoundError, 404],
      [ConflictError, 409],
      [UnprocessableEntityError, 422],
    ] as const)('%p (%i) is a client error with the upstream message and code', (ErrorClass, status) => {
      const error = APIError.generate(status, { error: body(`upstream says ${status}`, 'some_code') }, undefined, new Headers());
      expect(error).toBeInstanceOf(ErrorClass);
      expect(classifyUpstreamError(error, NOW)).toEqual({ kind: 'client_error', status, message: `upstream says ${status}`, code: 'some_code' });
    });

    it('APIError.generate for other 4xx (413) is a client error', () => {
      const error = APIError.generate(413, { error: body('Request too large') }, undefined, new Headers());
      expect(classifyUpstreamError(error, NOW)).toMatchObject({ kind: 'client_error', status: 413, message: 'Request too large' });
    });

    it('strips the SDK status prefix when the body has no message', () => {
      const error = APIError.generate(404, { error: 'no such route' }, undefined, new Headers());
      expect(error.message).toBe('404 "no such route"');
      expect(classifyUpstreamError(error, NOW).message).toBe('"no such route"');
      const bare = APIError.generate(400, undefined, undefined, new Headers());
      expect(classifyUpstreamError(bare, NOW).message).toBe('status code (no body)');
    });

    it('APIError.generate without headers is a connection error', () => {
      expect(classifyUpstreamError(APIError.generate(undefined as unknown as number, undefined, 'boom', undefined), NOW)).toEqual({
        kind: 'retryable',
        message: 'boom',
      });
    });
  });

  describe('other errors', () => {
    it('reads any object with a numeric status', () => {
      expect(classifyUpstreamError({ status: 503, message: 'down' }, NOW)).toEqual({ kind: 'retryable', status: 503, message: 'down' });
      expect(classifyUpstreamError({ status: 400, error: { message: 'bad' } }, NOW)).toEqual({ kind: 'client_error', status: 400, message: 'bad' });
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
});
