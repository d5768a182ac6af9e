import { SERVICE_NAMES } from '@ish/contracts';
import { serviceUrl, isReady, stack, waitFor } from '@ish/test-support';

describe('servers going away and coming back', () => {
  it('RabbitMQ killed and started again: every app reconnects by itself and readiness recovers', async () => {
    stack('kill', 'rabbitmq');
    await waitFor('readiness to report RabbitMQ down', async () => {
      const response = await fetch(`${serviceUrl('auth')}/health/ready`);
      if (response.status !== 503) return false;
      const body = (await response.json()) as { error: { code: string; details: { field: string }[] } };
      return body.error.code === 'not_ready' && body.error.details.some((d) => d.field === 'rabbitmq');
    }, 30_000);
    stack('start', 'rabbitmq');
    for (const service of SERVICE_NAMES) {
      await waitFor(`${service} ready again`, () => isReady(serviceUrl(service)), 60_000, 500);
    }
  });

  it('Redis restarted: the worker consumes again (a canary job goes through) and readiness recovers', async () => {
    stack('restart', 'redis');
    for (const service of SERVICE_NAMES) {
      await waitFor(`${service} ready again`, () => isReady(serviceUrl(service)), 60_000, 500);
    }
    const body = (await (await fetch(`${serviceUrl('worker')}/health/ready`)).json()) as { info: Record<string, { status: string }> };
    expect(body.info.consumers.status).toBe('up');
  });
});
