/** The envelope of every AMQP message body. Replies carry `err` or `response`. */
export interface RpcReply {
  err?: RemoteErrorBody | null;
  response?: unknown;
}

export interface RemoteErrorBody {
  type: string;
  code: string;
  message: string;
  details?: unknown[];
}

/** A request/reply call that the remote side answered with an error, or that never got an answer. */
export class RemoteError extends Error {
  constructor(
    readonly body: RemoteErrorBody,
    readonly pattern: string,
  ) {
    super(`${pattern}: ${body.message}`);
  }
}

export function isRemoteErrorBody(value: unknown): value is RemoteErrorBody {
  return !!value && typeof value === 'object' && typeof (value as RemoteErrorBody).code === 'string' && typeof (value as RemoteErrorBody).message === 'string';
}

export function encode(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value ?? null));
}

export function decode(content: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(content.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}
