import { routeWebhookEvent, subscriptionWants } from './event-routing';

describe('routing domain events to webhook subscriptions', () => {
  it('gives a job event to its user, without the user id', () => {
    const routed = routeWebhookEvent('job.completed', { userId: 'u1', jobId: 'j1', type: 'ai', status: 'completed', result: { reply: 'hi' } });
    expect(routed).toEqual({ ownerUserId: 'u1', data: { jobId: 'j1', type: 'ai', status: 'completed', result: { reply: 'hi' } } });
    const failed = routeWebhookEvent('job.failed', { userId: 'u1', jobId: 'j2', type: 'ai', status: 'failed', error: { type: 'upstream_error', code: 'x', message: 'y' } });
    expect(failed?.data).toEqual({ jobId: 'j2', type: 'ai', status: 'failed', error: { type: 'upstream_error', code: 'x', message: 'y' } });
  });

  it('gives a budget event to the budget\'s owner, without the user id', () => {
    const event = { userId: 'u1', scope: 'api_key', apiKeyId: 'k1', limitUsd: 1, period: 'day', spentUsd: 1.2, resetsAt: '2026-12-04T00:00:00.000Z' };
    const { userId: _owner, ...data } = event;
    expect(routeWebhookEvent('budget.exceeded', event)).toEqual({ ownerUserId: 'u1', data });
    expect(routeWebhookEvent('budget.warning', { ...event, scope: 'user', apiKeyId: null })?.ownerUserId).toBe('u1');
    expect(routeWebhookEvent('budget.warning', { scope: 'user' })).toBeNull();
  });

  it('gives instance and device events to the system (admins)', () => {
    const instance = { instanceId: 'i1', name: 'n', providerType: 'openai', from: 'healthy', to: 'unhealthy' };
    expect(routeWebhookEvent('instance.status_changed', instance)).toEqual({ ownerUserId: null, data: instance });
    expect(routeWebhookEvent('device.state_changed', { serial: 's', from: 'offline', to: 'device' })?.ownerUserId).toBeNull();
  });

  it('ignores events webhooks do not carry, and job events without a user', () => {
    expect(routeWebhookEvent('credential.revoked', { id: 'x' })).toBeNull();
    expect(routeWebhookEvent('job.completed', { jobId: 'j1' })).toBeNull();
    expect(routeWebhookEvent('job.completed', null)).toBeNull();
    expect(routeWebhookEvent('device.state_changed', ['x'])).toBeNull();
  });

  it('matches an event name or *', () => {
    expect(subscriptionWants(['job.completed'], 'job.completed')).toBe(true);
    expect(subscriptionWants(['job.completed'], 'job.failed')).toBe(false);
    expect(subscriptionWants(['*'], 'device.state_changed')).toBe(true);
  });
});
