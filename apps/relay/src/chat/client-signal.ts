import type { Request, Response } from 'express';

/** Fires when the client goes away before the answer was sent, so the upstream call is cancelled. */
export function clientSignal(_req: Request, res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('client disconnected'));
  });
  return controller.signal;
}
