import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { REDIS_URL, serviceUrl, testSecrets, api, createApiKey, signUp, addSimInstance, SimInstance, waitForModel, isReady, waitFor, ReceivedWebhook, WebhookReceiver, isWorkerProcess, pidOfProcessor, runningSuiteWorkers, startReplacementWorker } from '@ish/test-support';
import { EventTap } from '../instances/event-tap';
import { publishDomainEvent } from './support/publish-event';

type Created = { id: string; url: string; events: string[]; secret: string; status: string };
type Attempt = { attempt: number; series: number; statusCode: number | null; latencyMs: number; responseExcerpt: string | null; error: string | null; createdAt: string };
type Delivery = { id: string; eventType: string; status: string; attemptCount: number; payload: { type: string; data: Record<string, unknown> }; attempts: Attempt[] };
type Envelope = { type: string; timestamp: string; data: Record<string, unknown> };

const RUN = Date.now().toString(36);
const MODEL = `wh-${RUN}`;
let user: Awaited<ReturnType<typeof signUp>>;
let key: string;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  user = await signUp('webhooks');
  key = await createApiKey(user.accessToken, 'webhook tests', ['chat', 'webhooks']);
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(respond?: (n: number, request: ReceivedWebhook) => number): Promise<WebhookReceiver> {
  const started = await WebhookReceiver.start(respond);
  receivers.push(started);
  return started;
}

async function subscribe(url: string, events: string[], token = key): Promise<Created> {
  const created = await api<Created>('POST', '/api/v1/webhooks', { token, body: { url, events, description: `tests ${RUN}` } });
  expect(created.status).toBe(201);
  return created.body;
}

/** polled with the session token: its own rate-limit budget, apart from the API key's */
async function deliveries(webhookId: string, token = user.accessToken): Promise<Delivery[]> {
  const listed = await api<Delivery[]>('GET', `/api/v1/webhooks/${webhookId}/deliveries`, { token });
  expect(listed.status).toBe(200);
  return listed.body;
}

/** A job outcome as the worker announces it, for this test's user. */
function jobEvent(status: 'completed' | 'failed', jobId = randomUUID()) {
  return status === 'completed'
    ? { userId: user.userId, jobId, type: 'ai', status, result: { reply: 'done' } }
    : { userId: user.userId, jobId, type: 'ai', status, error: { type: 'upstream_error', code: 'upstream_unavailable', message: 'no luck' } };
}

describe('webhook deliveries', () => {
  it('an async relay job: the consumer receives job.completed, signed per Standard Webhooks', async () => {
    const consumer = await receiver();
    const webhook = await subscribe(consumer.url, ['job.completed']);
    expect(webhook.secret).toMatch(/^whsec_/);
    let sim: SimInstance | undefined;
    try {
      sim = await addSimInstance(`wh-sim-${RUN}`, { models: [MODEL] });
      await waitForModel(MODEL);
      const submitted = await api<{ jobId: string }>('POST', '/api/v1/relay', { token: key, body: { message: 'tell my webhook', model: MODEL, mode: 'async' } });
      expect(submitted.status).toBe(202);

      const [request] = await consumer.waitFor(1, submitted.body.jobId);
      const event = WebhookReceiver.verify<Envelope>(webhook.secret, request);
      expect(event.type).toBe('job.completed');
      expect(new Date(event.timestamp).toISOString()).toBe(event.timestamp);
      expect(event.data).toEqual(expect.objectContaining({ jobId: submitted.body.jobId, status: 'completed', result: expect.objectContaining({ reply: expect.stringContaining('tell my webhook') }) }));
      expect(event.data).not.toHaveProperty('userId');
      expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);

      await waitFor('the delivery to be recorded as delivered', async () => (await deliveries(webhook.id))[0]?.status === 'delivered', 5000, 100);
      const [delivery] = await deliveries(webhook.id);
      expect(delivery).toEqual(expect.objectContaining({ id: request.headers['webhook-id'], eventType: 'job.completed', attemptCount: 1 }));
      expect(delivery.attempts).toEqual([expect.objectContaining({ attempt: 1, series: 1, statusCode: 204, error: null, latencyMs: expect.any(Number) })]);
    } finally {
      await sim?.close();
    }
  });

  it('503, 503, 204: delivered on the third attempt with the same webhook-id; every attempt listed; redelivery starts a new series', async () => {
    const consumer = await receiver((n) => (n <= 2 ? 503 : 204));
    const webhook = await subscribe(consumer.url, ['job.failed']);
    const event = jobEvent('failed');
    const messageId = await publishDomainEvent('job.failed', event);
    // the broker may deliver an event twice: still one delivery
    await publishDomainEvent('job.failed', event, messageId);

    const requests = await consumer.waitFor(3, event.jobId);
    const ids = new Set(requests.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    for (const request of requests) expect(WebhookReceiver.verify<Envelope>(webhook.secret, request).data).toEqual(expect.objectContaining({ jobId: event.jobId, status: 'failed', error: event.error }));
    // backoff: the second retry waits longer than the first (0.25–0.5 s, then 1–2 s in tests)
    expect(requests[1].at - requests[0].at).toBeGreaterThanOrEqual(200);
    expect(requests[2].at - requests[1].at).toBeGreaterThanOrEqual(900);

    await waitFor('the delivery to be delivered', async () => (await deliveries(webhook.id))[0]?.status === 'delivered', 5000, 100);
    const listed = await deliveries(webhook.id);
    expect(listed).toHaveLength(1);
    expect(listed[0].id).toBe([...ids][0]);
    expect(listed[0].attempts.map((a) => [a.attempt, a.statusCode])).toEqual([[1, 503], [2, 503], [3, 204]]);
    // the test receiver is on 127.0.0.1: what a private endpoint answers is never kept (no read-back of internal services)
    expect(listed[0].attempts[0]).toEqual(expect.objectContaining({ responseExcerpt: null, error: 'the endpoint answered 503' }));
    for (const attempt of listed[0].attempts) expect(Date.parse(attempt.createdAt)).toBeGreaterThan(0);

    const redelivered = await api<{ id: string; status: string }>('POST', `/api/v1/webhooks/${webhook.id}/deliveries/${listed[0].id}/redeliver`, { token: key });
    expect(redelivered.status).toBe(202);
    expect(redelivered.body).toEqual({ id: listed[0].id, status: 'pending' });
    const [, , , again] = await consumer.waitFor(4, event.jobId);
    expect(again.headers['webhook-id']).toBe(listed[0].id);
    await waitFor('the redelivery to be recorded', async () => (await deliveries(webhook.id))[0]?.attempts.length === 4, 5000, 100);
    const [after] = await deliveries(webhook.id);
    expect(after.status).toBe('delivered');
    expect(after.attempts[3]).toEqual(expect.objectContaining({ attempt: 4, series: 2, statusCode: 204 }));
  });

  it('redelivery while a retry waits: it runs now, as a new series of the same delivery', async () => {
    let answer = 500;
    const consumer = await receiver(() => answer);
    const webhook = await subscribe(consumer.url, ['job.completed']);
    const event = jobEvent('completed');
    const queue = new Queue('webhooks', { connection: { url: REDIS_URL } as never });
    try {
      await publishDomainEvent('job.completed', event);
      const [, second] = await consumer.waitFor(2, event.jobId);
      const deliveryId = second.headers['webhook-id'];
      // the third attempt would come 1–2 s later
      await waitFor('the retry to be scheduled', async () => (await (await queue.getJob(deliveryId))?.getState()) === 'delayed', 3000, 10);
      answer = 204;
      const asked = Date.now();
      expect((await api('POST', `/api/v1/webhooks/${webhook.id}/deliveries/${deliveryId}/redeliver`, { token: key })).status).toBe(202);
      const [, , third] = await consumer.waitFor(3, event.jobId);
      expect(third.at - asked).toBeLessThan(900);
      await waitFor('the delivery to be delivered', async () => (await deliveries(webhook.id))[0]?.status === 'delivered', 5000, 100);
      const [delivery] = await deliveries(webhook.id);
      expect(delivery.attempts.map((a) => [a.attempt, a.series, a.statusCode])).toEqual([[1, 1, 500], [2, 1, 500], [3, 2, 204]]);
    } finally {
      await queue.close();
    }
  });

  it('kill -9 the worker between two attempts: a fresh worker completes the delivery', async () => {
    const consumer = await receiver((n) => (n === 1 ? 503 : 204));
    const webhook = await subscribe(consumer.url, ['job.completed']);
    const event = jobEvent('completed');
    const queue = new Queue('webhooks', { connection: { url: REDIS_URL } as never });
    try {
      await publishDomainEvent('job.completed', event);
      const [first] = await consumer.waitFor(1, event.jobId);
      const deliveryId = first.headers['webhook-id'];
      // the failed attempt is recorded and the retry waits in Redis (BullMQ's delayed set)
      const job = await waitFor('the retry to be scheduled', async () => {
        const found = await queue.getJob(deliveryId);
        return found && (await found.getState()) === 'delayed' ? found : undefined;
      }, 5000, 10);
      const runner = pidOfProcessor(job.processedBy!);
      const victims = [...new Set([runner, ...runningSuiteWorkers()])].filter(isWorkerProcess);
      for (const pid of victims) process.kill(pid, 'SIGKILL');
      await waitFor('the workers to be gone', async () => victims.every((pid) => !isWorkerProcess(pid)), 3000, 20);

      // no worker: the retry is still there, and nobody sent it
      await new Promise((r) => setTimeout(r, 800));
      expect(consumer.requests.filter((r) => r.body.includes(event.jobId))).toHaveLength(1);
      expect(await (await queue.getJob(deliveryId))?.getState()).toMatch(/^(delayed|waiting)$/);

      const fresh = await startReplacementWorker();
      const [, second] = await consumer.waitFor(2, event.jobId, 20_000);
      expect(second.headers['webhook-id']).toBe(deliveryId);
      expect(second.at).toBeGreaterThan(first.at);
      expect(WebhookReceiver.verify<Envelope>(webhook.secret, second).data.jobId).toBe(event.jobId);
      await waitFor('the delivery to be delivered', async () => (await deliveries(webhook.id))[0]?.status === 'delivered', 5000, 100);
      const [delivery] = await deliveries(webhook.id);
      expect(delivery.attempts.map((a) => a.statusCode)).toEqual([503, 204]);
      expect(await isReady(fresh.url)).toBe(true);
    } finally {
      await queue.close();
      if (!(await isReady(serviceUrl('worker')))) await startReplacementWorker();
    }
  });

  it('an endpoint failing for good is disabled and webhook.endpoint_disabled is published; PATCH enabled brings it back', async () => {
    const failing = await receiver(() => 500);
    const healthy = await receiver();
    const webhook = await subscribe(failing.url, ['job.completed']);
    const witness = await subscribe(healthy.url, ['job.completed']);
    const tap = await EventTap.open(['webhook.endpoint_disabled']);
    const since = Date.now();
    try {
      // WEBHOOK_DISABLE_AFTER_FAILURES=3 and WEBHOOK_MAX_ATTEMPTS=5 in tests
      const events = [jobEvent('completed'), jobEvent('completed'), jobEvent('completed')];
      for (const event of events) await publishDomainEvent('job.completed', event);
      const disabled = await tap.next<{ subscriptionId: string; userId: string; url: string; reason: string; consecutiveFailures: number }>(
        'webhook.endpoint_disabled',
        (body) => body.subscriptionId === webhook.id,
        since,
        20_000,
      );
      expect(disabled.body).toEqual(expect.objectContaining({ userId: user.userId, url: failing.url, consecutiveFailures: 3, reason: '3 deliveries in a row failed after every retry' }));
      const shown = await api<{ status: string; disabledReason: string }>('GET', `/api/v1/webhooks/${webhook.id}`, { token: key });
      expect(shown.body).toEqual(expect.objectContaining({ status: 'disabled', disabledReason: '3 deliveries in a row failed after every retry' }));
      const failed = await deliveries(webhook.id);
      expect(failed.map((d) => [d.status, d.attempts.length])).toEqual([['failed', 5], ['failed', 5], ['failed', 5]]);
      expect(failing.requests).toHaveLength(15);

      // disabled: the next event reaches the other endpoint only
      const later = jobEvent('completed');
      await publishDomainEvent('job.completed', later);
      await healthy.waitFor(1, later.jobId);
      await waitFor('the witness delivery', async () => (await deliveries(witness.id)).some((d) => d.payload.data.jobId === later.jobId && d.status === 'delivered'), 5000, 100);
      expect(failing.requests.some((r) => r.body.includes(later.jobId))).toBe(false);
      expect((await deliveries(webhook.id)).some((d) => d.payload.data.jobId === later.jobId)).toBe(false);
      const refused = await api<{ error: { code: string } }>('POST', `/api/v1/webhooks/${webhook.id}/deliveries/${failed[0].id}/redeliver`, { token: key });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('webhook_disabled');

      const enabled = await api<{ status: string; disabledAt: string | null }>('PATCH', `/api/v1/webhooks/${webhook.id}`, { token: key, body: { enabled: true } });
      expect(enabled.body).toEqual(expect.objectContaining({ status: 'active', disabledAt: null }));
    } finally {
      await tap.close();
    }
  });

  it('system events go to admins’ subscriptions, not to users’', async () => {
    const admin = testSecrets().adminApiKey;
    const adminConsumer = await receiver();
    const userConsumer = await receiver();
    const adminHook = await subscribe(adminConsumer.url, ['instance.status_changed', 'device.state_changed'], admin);
    const userHook = await subscribe(userConsumer.url, ['*']);
    try {
      const instanceId = randomUUID();
      const change = { instanceId, name: `wh-${RUN}`, providerType: 'openai-compatible', from: 'healthy', to: 'unhealthy', reason: 'test' };
      await publishDomainEvent('instance.status_changed', change);
      const [request] = await adminConsumer.waitFor(1, instanceId);
      expect(WebhookReceiver.verify<Envelope>(adminHook.secret, request)).toEqual({ type: 'instance.status_changed', timestamp: expect.any(String), data: change });
      // a user's own job event still reaches the user's `*` subscription, after the system event
      const mine = jobEvent('completed');
      await publishDomainEvent('job.completed', mine);
      await userConsumer.waitFor(1, mine.jobId);
      expect(userConsumer.requests.some((r) => r.body.includes(instanceId))).toBe(false);
    } finally {
      await api('DELETE', `/api/v1/webhooks/${adminHook.id}`, { token: admin });
      await api('DELETE', `/api/v1/webhooks/${userHook.id}`, { token: key });
    }
  });
});
