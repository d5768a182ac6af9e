import { parseRetryAfterMs } from './parse-retry-after';

const NOW = Date.parse('2025-06-01T12:00:00Z');

describe('parseRetryAfterMs', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '7' }), NOW)).toBe(7000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '0' }), NOW)).toBe(0);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '1.5' }), NOW)).toBe(1500);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'Sun, 01 Jun 2025 12:00:30 GMT' }), NOW)).toBe(30_000);
  });

  it('treats a date in the past as no wait', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'Sun, 01 Jun 2025 11:59:00 GMT' }), NOW)).toBe(0);
  });

  it('prefers retry-after-ms, rounding up', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '1', 'retry-after-ms': '250.2' }), NOW)).toBe(251);
  });

  it('falls back to retry-after when retry-after-ms is unreadable', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '2', 'retry-after-ms': 'soon' }), NOW)).toBe(2000);
  });

  it.each([undefined, null, new Headers(), new Headers({ 'retry-after': 'later' }), new Headers({ 'retry-after': '-5' })])(
    'gives undefined for %p',
    (headers) => {
      expect(parseRetryAfterMs(headers, NOW)).toBeUndefined();
    },
  );

  it('reads plain header records case-insensitively, and arrays', () => {
    expect(parseRetryAfterMs({ 'Retry-After': '3' }, NOW)).toBe(3000);
    expect(parseRetryAfterMs({ 'retry-after': ['4', '9'] }, NOW)).toBe(4000);
    expect(parseRetryAfterMs({ other: 'x' }, NOW)).toBeUndefined();
  });

  it('uses the clock when no time is given', () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const ms = parseRetryAfterMs(new Headers({ 'retry-after': inTenSeconds }));
    expect(ms).toBeGreaterThan(8000);
    expect(ms).toBeLessThanOrEqual(10_000);
  });
});
