import { currentRequestId, runWithRequestId, sanitizeRequestId } from './request-context';

describe('request context', () => {
  it('keeps the id across awaits', async () => {
    const seen = await runWithRequestId('abc-123', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentRequestId();
    });
    expect(seen).toBe('abc-123');
    expect(currentRequestId()).toBeUndefined();
  });

  it('generates an id when none or a hostile one is given', () => {
    const generated = runWithRequestId('bad\nid', () => currentRequestId());
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(sanitizeRequestId('x'.repeat(129))).toBeUndefined();
  });
});
