import type { Response } from 'express';
import type { Served } from '@ish/relay-core';
import { writable } from './writable';

/** Opens a Server-Sent Events answer naming who serves it; the cost is known only at the end, so the stream carries it. */
export function openEventStream(res: Response, served: Pick<Served, 'instance' | 'model'> & { droppedParams: string[] }): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('X-Accel-Buffering', 'no');
  res.setHeader('x-ish-instance', served.instance.id);
  res.setHeader('x-ish-provider', served.instance.providerType);
  res.setHeader('x-ish-model', served.model);
  if (served.droppedParams.length > 0) res.setHeader('x-ish-dropped-params', served.droppedParams.join(', '));
  res.flushHeaders();
}

/** The SSE frames a protocol writes for each chunk, at the end, and for an error once streaming began. */
export interface EventFrames<T> {
  chunk(chunk: T): string[];
  end(): string[];
  error(error: unknown): string[];
}

/**
 * Writes the chunks as frames, waiting for the socket to drain, then ends the response. Past the first byte there is no
 * failover and no status code: an error becomes the last frames. A client that went away gets nothing more.
 */
export async function pipeEventStream<T>(res: Response, signal: AbortSignal | undefined, chunks: AsyncIterable<T>, frames: EventFrames<T>): Promise<void> {
  const write = async (out: string[]) => {
    for (const frame of out) if (!res.write(frame)) await writable(res);
  };
  try {
    for await (const chunk of chunks) {
      await write(frames.chunk(chunk));
      if (signal?.aborted) return;
    }
    await write(frames.end());
  } catch (error) {
    if (!signal?.aborted) await write(frames.error(error));
  } finally {
    res.end();
  }
}
