import type { IncomingMessage } from 'node:http';

const RAW_BODY = Symbol('rawBody');

/** The JSON parser's `verify` hook: keeps the body's bytes (after content decoding) on the request. */
export function keepRawBody(req: IncomingMessage, _res: unknown, body: Buffer): void {
  (req as IncomingMessage & { [RAW_BODY]?: Buffer })[RAW_BODY] = body;
}

/** The body's bytes as received, on a route bootstrapService was told to keep them for (`rawBodies`). */
export function rawBodyOf(req: IncomingMessage): Buffer | undefined {
  return (req as IncomingMessage & { [RAW_BODY]?: Buffer })[RAW_BODY];
}
