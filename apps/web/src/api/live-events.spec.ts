import { ApiFailure } from './errors';
import { type LiveEvent, LiveEvents, type LiveStatus, reconnectDelayMs } from './live-events';

function stream(frames: string[], keepOpen = false): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const frame of frames) controller.enqueue(encoder.encode(frame));
      if (!keepOpen) controller.close();
    },
  });
}

const frame = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, timestamp: '2025-01-01T00:00:00Z', data })}\n\n`;

describe('reconnectDelayMs', () => {
  it('doubles from 1 s up to 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(reconnectDelayMs)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });
});

describe('LiveEvents', () => {
  it('hands on the events of the stream, skips comments, and reconnects after the stream ends', async () => {
    const events: LiveEvent[] = [];
    const statuses: LiveStatus[] = [];
    const sleeps: number[] = [];
    let opened = 0;
    const client = {
      send: async () => {
        opened++;
        if (opened === 1) return new Response(stream([': connected\n\n', frame('job.completed', { jobId: 'j1' }), ': ping\n\n']));
        if (opened === 2) throw new TypeError('Failed to fetch');
        return new Response(stream([frame('instance.status_changed', { to: 'unhealthy' })], true));
      },
    };
    const live = new LiveEvents(client, (e) => events.push(e), (s) => statuses.push(s), async (ms) => void sleeps.push(ms));
    live.start();
    await new Promise<void>((resolve) => {
      const check = () => (events.length === 2 ? resolve() : setTimeout(check, 1));
      check();
    });
    live.stop();
    expect(events.map((e) => [e.type, e.data])).toEqual([['job.completed', { jobId: 'j1' }], ['instance.status_changed', { to: 'unhealthy' }]]);
    // after a good stream the backoff starts over; after a failed attempt it grows
    expect(sleeps).toEqual([1000, 2000]);
    expect(statuses).toEqual(['connecting', 'live', 'reconnecting', 'reconnecting', 'reconnecting', 'reconnecting', 'live', 'stopped']);
  });

  it('stops for good when the credential is refused', async () => {
    const statuses: LiveStatus[] = [];
    let opened = 0;
    const client = {
      send: async () => {
        opened++;
        throw new ApiFailure(401, 'authentication_error', 'invalid_credential', 'revoked');
      },
    };
    const live = new LiveEvents(client, () => undefined, (s) => statuses.push(s), async () => undefined);
    live.start();
    await new Promise((r) => setTimeout(r, 10));
    expect(opened).toBe(1);
    expect(statuses).toEqual(['connecting', 'stopped']);
  });
});
