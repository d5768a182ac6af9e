import { Webhook } from 'standardwebhooks';
import { verifyAtReceipt } from './webhooks';

const secret = `whsec_${Buffer.from('a secret of thirty-two bytes ok!').toString('base64')}`;

function request(body: string, signedAt: Date, receivedAt: number, id = 'msg_1') {
  const signature = new Webhook(secret).sign(id, signedAt, body);
  return { headers: { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)), 'webhook-signature': signature }, body, at: receivedAt };
}

describe('verifyAtReceipt', () => {
  const body = JSON.stringify({ type: 'job.completed', data: { jobId: 'ai_1' } });

  it('accepts what the standardwebhooks package accepts, also when checked long after the receipt', () => {
    const now = new Date();
    const fresh = request(body, now, now.getTime());
    expect(new Webhook(secret).verify(fresh.body, fresh.headers)).toEqual(JSON.parse(body));
    const old = request(body, new Date(now.getTime() - 3_600_000), now.getTime() - 3_600_000 + 2000);
    expect(verifyAtReceipt(secret, old)).toEqual(JSON.parse(body));
  });

  it('refuses a changed body, another secret, or a timestamp 5 minutes off the receipt', () => {
    const now = Date.now();
    expect(verifyAtReceipt(secret, { ...request(body, new Date(now), now), body: body.replace('ai_1', 'ai_2') })).toBeUndefined();
    expect(verifyAtReceipt(`whsec_${Buffer.from('another secret of 32 bytes, yes!').toString('base64')}`, request(body, new Date(now), now))).toBeUndefined();
    expect(verifyAtReceipt(secret, request(body, new Date(now - 301_000), now))).toBeUndefined();
  });
});
