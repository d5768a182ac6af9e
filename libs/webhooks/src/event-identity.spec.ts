import { domainEventId, domainEventTime } from './event-identity';

describe('domain event identity', () => {
  const message = (properties: { messageId?: string; timestamp?: number }, body = '{"a":1}') => ({
    content: Buffer.from(body),
    fields: { routingKey: 'job.completed' },
    properties,
  });

  it('is the message id when the publisher gave one', () => {
    expect(domainEventId(message({ messageId: '0a3e' }))).toBe('0a3e');
  });

  it('is a hash of name and body otherwise: the same for a redelivery, different for another event', () => {
    const id = domainEventId(message({}));
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(domainEventId(message({}))).toBe(id);
    expect(domainEventId(message({}, '{"a":2}'))).not.toBe(id);
  });

  it('takes the time from the message timestamp', () => {
    expect(domainEventTime(message({ timestamp: 1_700_000_000 })).toISOString()).toBe('2023-11-14T22:13:20.000Z');
    const fallback = new Date('2026-01-01T00:00:00Z');
    expect(domainEventTime(message({}), fallback)).toBe(fallback);
  });
});
