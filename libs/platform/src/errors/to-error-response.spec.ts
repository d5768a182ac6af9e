import { BadRequestException, NotFoundException } from '@nestjs/common';
import { ApiError } from './api-error';
import { toErrorResponse } from './to-error-response';

describe('toErrorResponse', () => {
  it('keeps an ApiError as it is, with its headers', () => {
    const error = new ApiError(429, 'rate_limit_error', 'rate_limited', 'Slow down', undefined, { 'Retry-After': '3' });
    expect(toErrorResponse(error)).toEqual({
      status: 429,
      body: { error: { type: 'rate_limit_error', code: 'rate_limited', message: 'Slow down' } },
      headers: { 'Retry-After': '3' },
      unexpected: false,
    });
  });

  it('maps Nest exceptions by status', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /nope')).body.error).toEqual({
      type: 'not_found_error',
      code: 'not_found',
      message: 'Cannot GET /nope',
    });
    expect(toErrorResponse(new BadRequestException()).body.error.type).toBe('invalid_request_error');
  });

  it('answers malformed JSON and oversize bodies from body-parser', () => {
    const broken = Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed', status: 400, expose: true });
    expect(toErrorResponse(broken)).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
    const large = Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413, expose: true, limit: 10 });
    expect(toErrorResponse(large)).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
  });

  it('answers 503 (retry shortly) when a dependency is away, hiding the cause', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432 password=hunter2'), { code: 'ECONNREFUSED' });
    const response = toErrorResponse(refused);
    expect(response).toMatchObject({ status: 503, headers: { 'Retry-After': '1' }, body: { error: { type: 'api_error', code: 'service_unavailable' } }, unexpected: true });
    expect(JSON.stringify(response.body)).not.toContain('hunter2');
    expect(toErrorResponse(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })).status).toBe(503);
  });

  it('hides the message of an unexpected error', () => {
    const response = toErrorResponse(new Error('password=hunter2 at db.ts:12'));
    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toContain('hunter2');
    expect(response.unexpected).toBe(true);
  });
});
