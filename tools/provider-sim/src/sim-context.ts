import { ServerResponse } from 'node:http';
import { FaultState } from './fault-state';
import { sendJson } from './http-io';
import { SimError } from './openai-error';
import { RequestRecorder } from './request-recorder';
import { ResponseWaiter } from './response-waiter';
import { StatsRecorder } from './sim-stats';
import { SimProtocol } from './types';

/** Everything the request handlers of one simulator instance share. */
export interface SimContext {
  name: string;
  protocol: SimProtocol;
  models: readonly string[];
  modelSet: ReadonlySet<string>;
  latencyMs: number;
  streamChunkDelayMs: number;
  apiKey?: string;
  faults: FaultState;
  stats: StatsRecorder;
  waiter: ResponseWaiter;
  /** API requests as received (GET /_sim/requests) */
  recorder: RequestRecorder;
  nextCompletionId(): string;
}

export function sendError(ctx: SimContext, res: ServerResponse, error: SimError): void {
  ctx.stats.error();
  sendJson(res, error.status, error.body, error.headers);
}
