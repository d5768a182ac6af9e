import { toErrorResponse } from '@ish/platform';
import { classifyUpstreamError } from '@ish/providers';
import { FailoverAbortedError, UpstreamClientError, UpstreamUnavailableError } from './upstream-errors';

describe('upstream errors', () => {
  describe('UpstreamClientError', () => {
    it('carries the upstream status, message and code to the client', () => {
      const error = new UpstreamClientError({ kind: 'client_error', status: 400, message: "'messages' is required", code: 'missing_field' });
      expect(toErrorResponse(error)).toEqual({
        status: 400,
        headers: {},
        unexpected: false,
        body: { error: { type: 'invalid_request_error', code: 'missing_field', message: "'messages' is required" } },
      });
      expect(error.failure.status).toBe(400);
      expect(error.name).toBe('UpstreamClientError');
    });

    it('names the parameter the upstream named, as OpenAI clients read it', () => {
      const error = new UpstreamClientError({ kind: 'client_error', status: 400, message: 'bad choice', param: 'tool_choice' });
      expect(toErrorResponse(error).body.error).toEqual({ type: 'invalid_request_error', code: 'invalid_request', message: 'bad choice', param: 'tool_choice' });
    });

    it('falls back to the code of the status', () => {
      const error = new UpstreamClientError({ kind: 'client_error', status: 422, message: 'bad' });
      expect(toErrorResponse(error).body.error).toEqual({ type: 'invalid_request_error', code: 'unprocessable_entity', message: 'bad' });
    });
  });

  describe('UpstreamUnavailableError', () => {
    it('is 503 no_healthy_instance when nothing was tried', () => {
      expect(toErrorResponse(UpstreamUnavailableError.noInstance())).toMatchObject({
        status: 503,
        body: { error: { type: 'upstream_error', code: 'no_healthy_instance', message: 'No healthy instance is available for this request' } },
      });
      expect(UpstreamUnavailableError.after([]).code).toBe('no_healthy_instance');
      expect(UpstreamUnavailableError.noInstance('No healthy instance serves gpt-4o').message).toBe('No healthy instance serves gpt-4o');
    });

    it('is 502 upstream_failed after failures, naming the last', () => {
      const error = UpstreamUnavailableError.after([
        { kind: 'retryable', status: 500, message: 'first' },
        { kind: 'rate_limited', status: 429, message: 'second', retryAfterMs: 1000 },
        { kind: 'retryable', message: 'Connection error.' },
      ]);
      expect(error).toMatchObject({ code: 'upstream_failed', attempts: 3, lastFailure: { message: 'Connection error.' } });
      expect(error.getStatus()).toBe(502);
      expect(error.message).toBe('Upstream failed: 3 attempt(s) failed; last: Connection error.');
    });

    it('is 504 upstream_timeout when the last failure timed out', () => {
      const error = UpstreamUnavailableError.after([{ kind: 'retryable', message: 'Request timed out.', timedOut: true }]);
      expect([error.getStatus(), error.code]).toEqual([504, 'upstream_timeout']);
    });

    it('is 503 upstream_rate_limited when every try was rate-limited, with the shortest Retry-After in whole seconds', () => {
      const error = UpstreamUnavailableError.after([
        { kind: 'rate_limited', status: 429, message: 'a', retryAfterMs: 4500 },
        { kind: 'rate_limited', status: 429, message: 'b', retryAfterMs: 1200 },
        { kind: 'rate_limited', status: 429, message: 'c' },
      ]);
      expect(toErrorResponse(error)).toMatchObject({ status: 503, headers: { 'Retry-After': '2' }, body: { error: { code: 'upstream_rate_limited' } } });
      const instant = UpstreamUnavailableError.after([{ kind: 'rate_limited', status: 429, message: 'a', retryAfterMs: 0 }]);
      expect(instant.headers).toEqual({ 'Retry-After': '1' });
      const unknown = UpstreamUnavailableError.after([{ kind: 'rate_limited', status: 429, message: 'a' }]);
      expect(unknown.headers).toEqual({});
    });
  });

  it('FailoverAbortedError says the request was cancelled', () => {
    const error = new FailoverAbortedError();
    expect([error.getStatus(), error.code, error.name]).toEqual([499, 'client_closed_request', 'FailoverAbortedError']);
  });

  it('shows the client a summary without our instances\' addresses or headers, and a provider 4xx message as it was', () => {
    const failures = [
      classifyUpstreamError(Object.assign(new Error('connect ECONNREFUSED 10.0.3.7:11434'), { code: 'ECONNREFUSED' })),
      classifyUpstreamError(new Error('request to http://vllm.internal:8000/v1/chat/completions failed, reason: socket hang up')),
    ];
    const body = JSON.stringify(toErrorResponse(UpstreamUnavailableError.after(failures)).body);
    expect(body).toContain('2 attempt(s) failed; last: request to [url] failed, reason: socket hang up');
    expect(body).not.toMatch(/10\.0\.3\.7|vllm\.internal|11434/);

    const refused = classifyUpstreamError({ status: 400, headers: {}, error: { message: "This model's maximum context length is 8192 tokens. Authorization: Bearer sk-abcdefghijklmnop" } });
    expect(toErrorResponse(new UpstreamClientError({ ...refused, status: 400 })).body.error.message).toBe("This model's maximum context length is 8192 tokens. Authorization: [redacted]");
  });
});
