import { GATEWAY_URL } from './env';

export interface EventStream {
  /** the HTTP status the stream was answered with */
  status: number;
  /** settles when the server ends the stream (or it is closed here) */
  ended: Promise<void>;
  /** every byte received so far, as text */
  text(): string;
  /** the `data:` of each received event that mentions `needle`, parsed */
  eventsAbout<T = { type: string; data: unknown }>(needle: string): T[];
  close(): Promise<void>;
}

/** Reads `GET /api/v1/events` through the gateway with `token` until closed. */
export async function openEventStream(token: string): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(`${GATEWAY_URL}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  const reader = response.body!.getReader();
  let received = '';
  const collecting = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      received += Buffer.from(value).toString();
    }
  })().catch(() => undefined);
  return {
    status: response.status,
    ended: collecting,
    text: () => received,
    eventsAbout: <T>(needle: string) =>
      received
        .split('\n\n')
        .filter((frame) => frame.includes(needle))
        .map((frame) => JSON.parse(frame.split('\n').find((line) => line.startsWith('data: '))!.slice(6)) as T),
    close: async () => {
      controller.abort();
      await collecting;
    },
  };
}
