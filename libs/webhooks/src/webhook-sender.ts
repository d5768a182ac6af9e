import type { LookupAddress } from 'node:dns';
import http, { IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isNonPublicAddress } from '@ish/contracts';
import { HostResolver, OutboundAddressRefusedError, resolveOutbound } from '@ish/platform';

export interface WebhookSendOptions {
  /** the whole attempt (DNS, connect, answer, excerpt) ends after this long */
  timeoutMs: number;
  /** loopback and private ranges are targets; link-local and metadata never are */
  allowPrivateNetworks: boolean;
  /** bytes of the answer body kept; the rest is never read */
  maxResponseBytes?: number;
  resolve?: HostResolver;
}

export interface WebhookSendResult {
  /** a 2xx answer */
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  /** the start of the answer; never from a loopback or private address (a webhook must not read internal services back) */
  responseExcerpt: string | null;
  /** why it failed: no answer, a refused target, a redirect (never followed) */
  error: string | null;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 4096;
const USER_AGENT = 'ISH-Chat-Webhooks/1';

/**
 * POSTs one webhook. The target's addresses are resolved first and every one is checked
 * (outboundAddressProblem), then the connection goes to exactly those addresses, so a DNS answer that
 * changes between the check and the connect (rebinding) cannot reach a refused address. Redirects are
 * never followed; only the first `maxResponseBytes` of the answer are read, and none of it when the
 * answer came from a loopback or private address. Never throws.
 */
export async function sendWebhook(target: string, body: string, headers: Record<string, string>, options: WebhookSendOptions): Promise<WebhookSendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const failure = (error: string, statusCode: number | null = null, responseExcerpt: string | null = null): WebhookSendResult => ({
    ok: false,
    statusCode,
    latencyMs: elapsed(),
    responseExcerpt,
    error: error.slice(0, 500),
  });

  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return failure('the URL is not valid');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return failure(`refused: ${url.protocol} is not http or https`);

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
  try {
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: LookupAddress[];
    try {
      const policy = { allowPrivateNetworks: options.allowPrivateNetworks, setting: 'WEBHOOK_ALLOW_PRIVATE_NETWORKS', resolve: options.resolve };
      addresses = await withDeadline(resolveOutbound(hostname, policy), deadline.signal);
    } catch (error) {
      if (deadline.signal.aborted) return failure(`timed out after ${options.timeoutMs} ms`);
      return failure(error instanceof OutboundAddressRefusedError ? error.message : `cannot resolve ${hostname}: ${(error as Error).message}`);
    }
    return await post(url, hostname, addresses, body, headers, options, deadline.signal, elapsed);
  } finally {
    clearTimeout(timer);
  }
}

function post(
  url: URL,
  hostname: string,
  addresses: LookupAddress[],
  body: string,
  headers: Record<string, string>,
  options: WebhookSendOptions,
  signal: AbortSignal,
  elapsed: () => number,
): Promise<WebhookSendResult> {
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const pinned: LookupFunction = (_host, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  };
  const client = url.protocol === 'https:' ? https : http;

  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<WebhookSendResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolve({ ...result, latencyMs: elapsed(), error: printable(result.error)?.slice(0, 500) ?? null });
    };

    const request = client.request({
      protocol: url.protocol,
      hostname,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      // a fresh connection per attempt: nothing pooled across receivers
      agent: false,
      lookup: pinned,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': USER_AGENT },
    });

    const onAbort = () => {
      request.destroy();
      finish({ ok: false, statusCode: null, responseExcerpt: null, error: `timed out after ${options.timeoutMs} ms` });
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });

    request.on('error', (error: Error) => finish({ ok: false, statusCode: null, responseExcerpt: null, error: error.message }));
    request.on('response', (response: IncomingMessage) => {
      const statusCode = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let received = 0;
      // what a loopback or private address answers stays inside: the caller would read internal services through us
      const readBack = !isNonPublicAddress(response.socket?.remoteAddress ?? '');
      const done = () => {
        const ok = statusCode >= 200 && statusCode < 300;
        const location = readBack ? `to ${String(response.headers.location ?? '?').slice(0, 300)} ` : '';
        const redirect = statusCode >= 300 && statusCode < 400 ? `redirect ${location}not followed` : null;
        finish({ ok, statusCode, responseExcerpt: readBack ? responseExcerpt(chunks, maxBytes) : null, error: ok ? null : (redirect ?? `the endpoint answered ${statusCode}`) });
        response.destroy();
      };
      response.on('data', (chunk: Buffer) => {
        if (received >= maxBytes) return;
        chunks.push(chunk);
        received += chunk.length;
        if (received >= maxBytes) done();
      });
      response.on('end', done);
      // a receiver that resets the connection mid-answer still answered with a status
      response.on('error', done);
      response.on('aborted', done);
    });
    request.end(body);
  });
}

/** The first `maxBytes` of an answer as text (null when it was empty), storable in PostgreSQL. */
export function responseExcerpt(chunks: Buffer[], maxBytes: number): string | null {
  const text = printable(Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8'));
  return text ? text : null;
}

/** PostgreSQL text cannot hold NUL: a binary answer is stored without it */
function printable(text: string | null): string | null {
  return text === null ? null : text.replaceAll('\u0000', '');
}

function withDeadline<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
