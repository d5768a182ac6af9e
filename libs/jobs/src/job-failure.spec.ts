import { UnrecoverableError } from 'bullmq';
import { ApiError } from '@ish/platform';
import { decodeJobFailure, encodeJobFailure } from './job-failure';

describe('job failure codec', () => {
  it('round-trips an API error as its API.md body', () => {
    const encoded = encodeJobFailure(ApiError.conflict('Device s1 is offline', 'device_not_ready'), 'unless-client-error');
    expect(decodeJobFailure(encoded.message)).toEqual({ type: 'conflict_error', code: 'device_not_ready', message: 'Device s1 is offline' });
  });

  it('makes a client error final and leaves a server error retryable', () => {
    expect(encodeJobFailure(ApiError.badRequest('bad', 'nope'), 'unless-client-error')).toBeInstanceOf(UnrecoverableError);
    const unavailable = encodeJobFailure(ApiError.unavailable('later', 'routing_table_not_loaded'), 'unless-client-error');
    expect(unavailable).not.toBeInstanceOf(UnrecoverableError);
    expect(decodeJobFailure(unavailable.message)).toMatchObject({ code: 'routing_table_not_loaded' });
    const tooMany = new ApiError(429, 'rate_limit_error', 'rate_limited', 'slow down');
    expect(encodeJobFailure(tooMany, 'unless-client-error')).not.toBeInstanceOf(UnrecoverableError);
  });

  it('makes a 429 that says not to retry (a spent budget) final', () => {
    const spent = new ApiError(429, 'rate_limit_error', 'budget_exceeded', 'spent', undefined, { 'x-should-retry': 'false', 'Retry-After': '60' });
    const encoded = encodeJobFailure(spent, 'unless-client-error');
    expect(encoded).toBeInstanceOf(UnrecoverableError);
    expect(decodeJobFailure(encoded.message).code).toBe('budget_exceeded');
  });

  it('never retries under the never policy, whatever failed', () => {
    const encoded = encodeJobFailure(new Error('socket hang up'), 'never');
    expect(encoded).toBeInstanceOf(UnrecoverableError);
    expect(decodeJobFailure(encoded.message).code).toBe('internal_error');
  });

  it('wraps a foreign failure reason', () => {
    expect(decodeJobFailure('boom')).toEqual({ type: 'api_error', code: 'job_failed', message: 'boom' });
    expect(decodeJobFailure(undefined).message).toBe('the job failed');
  });
});
