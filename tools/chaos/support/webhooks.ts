import { Webhook } from 'standardwebhooks';
import { api, ReceivedWebhook, WebhookReceiver } from '@ish/test-support';

/** Standard Webhooks' tolerance between the signed timestamp and the moment of receipt. */
const TOLERANCE_S = 5 * 60;

/**
 * Verifies a request as its consumer did when it arrived: the v1 signature over id, timestamp and
 * body, and a timestamp within 5 minutes of the receipt. (`Webhook.verify` compares with the clock
 * now, which fails requests checked long after they came in.) Answers the parsed body, or undefined.
 */
export function verifyAtReceipt<T>(secret: string, request: ReceivedWebhook): T | undefined {
  const id = request.headers['webhook-id'];
  const timestamp = Number(request.headers['webhook-timestamp']);
  const signatures = (request.headers['webhook-signature'] ?? '').split(' ');
  if (!id || !Number.isInteger(timestamp) || Math.abs(request.at / 1000 - timestamp) > TOLERANCE_S) return undefined;
  if (!signatures.includes(new Webhook(secret).sign(id, new Date(timestamp * 1000), request.body))) return undefined;
  return JSON.parse(request.body) as T;
}

export interface JobWebhooks {
  /** distinct deliveries (webhook-id) that reached the consumer for the job */
  deliveryIds: Set<string>;
  /** requests received for it: a delivery retried after a lost answer counts twice */
  requests: number;
  firstAt: number;
}

/** The consumer's requests grouped by the job their event is about; `invalid` counts requests whose signature did not verify. */
export function webhooksByJob(receiver: { requests: readonly ReceivedWebhook[] }, secret: string): { byJob: Map<string, JobWebhooks>; invalid: number } {
  const byJob = new Map<string, JobWebhooks>();
  let invalid = 0;
  for (const request of receiver.requests) {
    const event = verifyAtReceipt<{ data?: { jobId?: string } }>(secret, request);
    if (!event) {
      invalid++;
      continue;
    }
    const jobId = event.data?.jobId;
    if (!jobId) continue;
    const entry = byJob.get(jobId) ?? { deliveryIds: new Set<string>(), requests: 0, firstAt: request.at };
    entry.deliveryIds.add(request.headers['webhook-id']);
    entry.requests++;
    entry.firstAt = Math.min(entry.firstAt, request.at);
    byJob.set(jobId, entry);
  }
  return { byJob, invalid };
}

/** A subscription of `token`'s user to `events` at the receiver; `remove` deletes it. */
export async function subscribe(token: string, receiver: WebhookReceiver, events: string[], description: string): Promise<{ id: string; secret: string; remove: () => Promise<void> }> {
  const created = await api<{ id: string; secret: string }>('POST', '/api/v1/webhooks', { token, body: { url: receiver.url, events, description } });
  if (created.status !== 201) throw new Error(`could not subscribe: ${created.status} ${JSON.stringify(created.body)}`);
  return { ...created.body, remove: async () => void (await api('DELETE', `/api/v1/webhooks/${created.body.id}`, { token })) };
}

/** Deliveries of a subscription in one status (at most 100, newest first), as the API lists them. */
export async function deliveriesIn(token: string, subscriptionId: string, status: 'pending' | 'delivered' | 'failed'): Promise<{ id: string; attempts: unknown[] }[]> {
  const listed = await api<{ id: string; attempts: unknown[] }[]>('GET', `/api/v1/webhooks/${subscriptionId}/deliveries?status=${status}&limit=100`, { token });
  if (listed.status !== 200) throw new Error(`could not list deliveries: ${listed.status}`);
  return listed.body;
}

export type { ReceivedWebhook };
