import type { Duplex, Readable } from 'node:stream';

export interface CollectOptions {
  /** stop reading (and close the stream) once more than this many bytes arrived */
  maxBytes: number;
  /** stop waiting (and close the stream) after this long */
  timeoutMs: number;
}

export interface CollectedOutput {
  /** at most `maxBytes` bytes */
  data: Buffer;
  /** more than `maxBytes` arrived: the rest was not read */
  truncated: boolean;
  timedOut: boolean;
}

/**
 * Reads a device stream to its end, within a byte cap and a deadline. Hitting either destroys the
 * stream: the adb server then closes the device's shell session, which stops the command there.
 */
export function collectOutput(stream: Readable | Duplex, options: CollectOptions): Promise<CollectedOutput> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;

    const finish = (outcome: { truncated?: boolean; timedOut?: boolean; error?: Error }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('close', onEnd);
      stream.off('error', onError);
      if (outcome.truncated || outcome.timedOut) stream.destroy();
      if (outcome.error) return reject(outcome.error);
      const data = Buffer.concat(chunks, size);
      resolve({ data: data.length > options.maxBytes ? data.subarray(0, options.maxBytes) : data, truncated: outcome.truncated ?? false, timedOut: outcome.timedOut ?? false });
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(buffer);
      size += buffer.length;
      if (size > options.maxBytes) finish({ truncated: true });
    };
    const onEnd = (): void => finish({});
    const onError = (error: Error): void => finish({ error });
    const timer = setTimeout(() => finish({ timedOut: true }), Math.max(0, options.timeoutMs));

    stream.on('data', onData);
    stream.once('end', onEnd);
    // a socket destroyed by the other side may close without 'end'
    stream.once('close', onEnd);
    stream.once('error', onError);
  });
}
