import type { NextFunction, Request, Response } from 'express';
import { currentRequestId, runWithRequestId } from '../context/request-context';

/** Gives every request an id (the caller's `x-request-id` when sane) and echoes it on the response. */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  runWithRequestId(req.header('x-request-id'), () => {
    res.setHeader('x-request-id', currentRequestId() as string);
    next();
  });
}
