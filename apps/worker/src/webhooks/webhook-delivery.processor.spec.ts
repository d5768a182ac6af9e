import { DelayedError, Job } from 'bullmq';
import type { WebhookDeliveryJob } from '@ish/contracts';
import type { AttemptOutcome, WebhookDeliveryService } from '@ish/webhooks';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';

function jobOf(deliveryId: string) {
  const moved: { timestamp: number; token?: string }[] = [];
  const job = {
    id: deliveryId,
    data: { deliveryId },
    moveToDelayed: async (timestamp: number, token?: string) => void moved.push({ timestamp, token }),
  } as unknown as Job<WebhookDeliveryJob>;
  return { job, moved };
}

function processorAnswering(outcome: AttemptOutcome) {
  const attempted: string[] = [];
  const deliveries = { attempt: async (id: string) => (attempted.push(id), outcome) } as unknown as WebhookDeliveryService;
  return { processor: new WebhookDeliveryProcessor(deliveries), attempted };
}

describe('WebhookDeliveryProcessor', () => {
  it('makes one attempt and ends the job when the delivery is settled', async () => {
    const { processor, attempted } = processorAnswering({ next: 'done' });
    const { job, moved } = jobOf('d-1');
    await expect(processor.process(job, 'token-1')).resolves.toBeUndefined();
    expect(attempted).toEqual(['d-1']);
    expect(moved).toEqual([]);
  });

  it('moves the same job to the delayed set for a retry, so the retry survives the worker', async () => {
    const { processor } = processorAnswering({ next: 'retry', delayMs: 5000 });
    const { job, moved } = jobOf('d-2');
    const before = Date.now();
    await expect(processor.process(job, 'token-2')).rejects.toBeInstanceOf(DelayedError);
    expect(moved).toHaveLength(1);
    expect(moved[0].token).toBe('token-2');
    expect(moved[0].timestamp).toBeGreaterThanOrEqual(before + 5000);
    expect(moved[0].timestamp).toBeLessThan(before + 6000);
  });
});
