import type { ApiClient } from './client';
import { readSse } from './sse';

/** One event of `/api/v1/events` (the webhook payload). */
export interface LiveEvent {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** Wait before reconnect attempt `attempt` (0-based): 1 s, 2 s, 4 s … at most 30 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
}

/**
 * Keeps `/api/v1/events` open while started: reads it with fetch (EventSource cannot send the
 * Authorization header), hands each event on, and reconnects with backoff when the stream ends or
 * fails. A 401/403 stops it: the credential is no longer good for it.
 */
export class LiveEvents {
  private controller: AbortController | null = null;

  constructor(
    private readonly client: Pick<ApiClient, 'send'>,
    private readonly onEvent: (event: LiveEvent) => void,
    private readonly onStatus: (status: LiveStatus) => void,
    private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void> = abortableSleep,
  ) {}

  start(): void {
    if (this.controller) return;
    const controller = new AbortController();
    this.controller = controller;
    void this.run(controller.signal);
  }

  stop(): void {
    this.controller?.abort();
    this.controller = null;
    this.onStatus('stopped');
  }

  private async run(signal: AbortSignal): Promise<void> {
    let attempt = 0;
    while (!signal.aborted) {
      this.onStatus(attempt === 0 ? 'connecting' : 'reconnecting');
      try {
        const response = await this.client.send('GET', '/events', { headers: { accept: 'text/event-stream' }, signal });
        if (!response.body) throw new Error('no event stream');
        this.onStatus('live');
        attempt = 0;
        await readSse(response.body, (event) => {
          if (signal.aborted) return 'stop';
          if (event.event === 'message' && !event.data.startsWith('{')) return undefined;
          try {
            this.onEvent(JSON.parse(event.data) as LiveEvent);
          } catch {
            /* not an event of ours */
          }
          return undefined;
        });
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status === 401 || status === 403) {
          this.onStatus('stopped');
          return;
        }
      }
      if (signal.aborted) return;
      this.onStatus('reconnecting');
      await this.sleep(reconnectDelayMs(attempt++), signal).catch(() => undefined);
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
