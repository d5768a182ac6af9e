import { IncomingMessage, ServerResponse } from 'node:http';
import { ActiveFault } from './fault-state';
import { rateLimited, serverError } from './openai-error';
import { sendError, SimContext } from './sim-context';

const MALFORMED_BODY = '{"id":"chatcmpl-malformed","object":"chat.completion","choices":[{"index":0,"message":';

/** Acts out a fault. Resolves true when the request should then be answered normally. */
export async function applyFault(ctx: SimContext, fault: ActiveFault, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  switch (fault.mode) {
    case 'none':
      return true;
    case 'slow':
      return ctx.waiter.wait(fault.delayMs, res);
    case 'error500':
    case 'error503':
      sendError(ctx, res, serverError(fault.mode === 'error503' ? 503 : 500));
      return false;
    case 'rate_limit':
      sendError(ctx, res, rateLimited(fault.retryAfterSeconds));
      return false;
    case 'malformed':
      ctx.stats.error();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(MALFORMED_BODY) });
      res.end(MALFORMED_BODY);
      return false;
    case 'drop':
      ctx.stats.error();
      // A TCP reset, as when a provider's load balancer kills the connection.
      req.socket.resetAndDestroy();
      return false;
    case 'hang':
      // Never answered: the socket stays open until the client gives up or the simulator closes.
      ctx.stats.error();
      return false;
  }
}
