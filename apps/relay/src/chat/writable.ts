import type { Response } from 'express';

/** Resolves when a full response buffer drained, or when the client went away (then nothing drains). */
export function writable(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
