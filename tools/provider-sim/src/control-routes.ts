import { IncomingMessage, ServerResponse } from 'node:http';
import { validateFault } from './fault-state';
import { parseJson, readBody, sendJson } from './http-io';
import { invalidRequest, methodNotAllowed, SimError, unknownUrl } from './openai-error';
import { SimContext } from './sim-context';
import { SimFault } from './types';

// Control responses stay out of the stats: tests read stats through this API.
function reject(res: ServerResponse, error: SimError): void {
  sendJson(res, error.status, error.body);
}

async function setFault(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = await readBody(req);
  const body = raw === undefined ? undefined : parseJson(raw);
  const problem = validateFault(body);
  if (problem) return reject(res, invalidRequest(`invalid fault: ${problem}`, 'mode'));
  ctx.faults.set(body as SimFault);
  sendJson(res, 200, { fault: ctx.faults.current() });
}

/** `?limit=N` of GET /_sim/requests; undefined (all kept) when absent or not a positive integer. */
function limitOf(req: IncomingMessage): number | undefined {
  const limit = Number(new URL(req.url ?? '/', 'http://sim').searchParams.get('limit'));
  return Number.isInteger(limit) && limit > 0 ? limit : undefined;
}

/** Serves /_sim/*: fault injection and stats for tests and benchmarks. */
export async function handleControlRequest(ctx: SimContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const method = req.method ?? 'GET';
  if (path === '/_sim/fault') {
    if (method === 'POST') return setFault(ctx, req, res);
    if (method === 'GET') return sendJson(res, 200, { fault: ctx.faults.current() });
    if (method === 'DELETE') {
      ctx.faults.clear();
      return sendJson(res, 200, { fault: ctx.faults.current() });
    }
  } else if (path === '/_sim/stats') {
    if (method === 'GET') return sendJson(res, 200, ctx.stats.snapshot());
  } else if (path === '/_sim/requests') {
    if (method === 'GET') return sendJson(res, 200, { requests: ctx.recorder.list(limitOf(req)) });
    if (method === 'DELETE') {
      ctx.recorder.clear();
      return sendJson(res, 200, { requests: [] });
    }
  } else if (path === '/_sim/reset') {
    if (method === 'POST') {
      ctx.stats.reset();
      return sendJson(res, 200, ctx.stats.snapshot());
    }
  } else {
    return reject(res, unknownUrl(method, path));
  }
  reject(res, methodNotAllowed(method, path));
}
