// Types and helpers shared by the shell interpreter and the simulated commands.
import { performance } from 'node:perf_hooks';

export type Output = (data: string | Buffer) => void;

export interface ShellIo {
  stdin: Buffer;
  stdout: Output;
  stderr: Output;
}

export const SHELL_NAME = '/system/bin/sh';

/** Ends the shell (the `exit` builtin, or a subshell's). */
export class ExitSignal {
  constructor(readonly code: number) {}
}

/** The session was torn down (the host closed the stream) while a command ran. */
export class AbortedError extends Error {
  constructor() {
    super('aborted');
  }
}

/** Epoch milliseconds with sub-millisecond resolution (monotonic within the process). */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new AbortedError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function toBuffer(data: string | Buffer): Buffer {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}
