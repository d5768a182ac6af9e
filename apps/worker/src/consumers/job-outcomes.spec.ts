import { outcomeMessageId } from './job-outcomes';

describe('outcomeMessageId', () => {
  it('is the same for every announcement of one outcome and differs between jobs, queues and outcomes', () => {
    const id = outcomeMessageId({ queueName: 'ai', id: 'ai_1' }, 'completed');
    expect(outcomeMessageId({ queueName: 'ai', id: 'ai_1' }, 'completed')).toBe(id);
    expect(new Set([id, outcomeMessageId({ queueName: 'ai', id: 'ai_2' }, 'completed'), outcomeMessageId({ queueName: 'adb', id: 'ai_1' }, 'completed'), outcomeMessageId({ queueName: 'ai', id: 'ai_1' }, 'failed')]).size).toBe(4);
    // a message id consumers accept as an event id (libs/webhooks domainEventId: at most 128 characters)
    expect(id).toMatch(/^job-[0-9a-f]{40}$/);
  });
});
