import type { ErrorDetail } from '@ish/contracts';

/**
 * Errors Express and body-parser raise about the request itself without a body-parser `type`: they
 * carry a 4xx `status` (http-errors style, or the router's URIError) and are the client's fault, never a 500.
 */
export interface RequestError {
  status: number;
  code: string;
  message: string;
  details?: ErrorDetail[];
}

/** What to answer for `error` when it is such a request error, or undefined. */
export function requestError(error: unknown): RequestError | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { status, statusCode, expose, message } = error as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
  const code = typeof status === 'number' ? status : statusCode;
  if (typeof code !== 'number' || code < 400 || code >= 500) return undefined;
  // the router could not decode a path parameter (`%E0%A4` is no UTF-8)
  if (error instanceof URIError) return { status: 400, code: 'invalid_path', message: 'The request path is not valid percent-encoded UTF-8' };
  // only http-errors (they carry `expose`) speak for the request: an upstream SDK's 401 must stay ours to explain
  if (typeof expose !== 'boolean') return undefined;
  // body-parser hands on the decompressor's error: the body is not what its Content-Encoding says
  if (isZlibError(error)) return { status: 400, code: 'invalid_content_encoding', message: 'The request body could not be decoded as its Content-Encoding says' };
  return { status: code, code: 'invalid_request', message: expose === true && typeof message === 'string' && message ? message : 'The request could not be read' };
}

function isZlibError(error: object): boolean {
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return typeof errno === 'number' && typeof code === 'string' && /^(Z_|ERR_BROTLI|ERR__ERROR)/.test(code);
}
