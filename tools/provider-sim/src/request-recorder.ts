import { IncomingMessage } from 'node:http';

/** A provider API request as the simulator received it: tests read it back to check what reached the provider. */
export interface RecordedRequest {
  method: string;
  /** path and query as sent */
  url: string;
  /** lower-cased names; credential values replaced by `[redacted]` so a test can see which scheme was used */
  headers: Record<string, string>;
  /** the raw body, byte for byte (UTF-8) */
  body: string;
  receivedAt: string;
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'x-api-key', 'api-key', 'x-goog-api-key']);
const KEEP = 100;

/** The last {@link KEEP} API requests, oldest first. */
export class RequestRecorder {
  private readonly requests: RecordedRequest[] = [];

  record(req: IncomingMessage, body: Buffer | undefined): void {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      const text = Array.isArray(value) ? value.join(', ') : value;
      headers[name] = CREDENTIAL_HEADERS.has(name) ? redact(text) : text;
    }
    this.requests.push({ method: req.method ?? 'GET', url: redactKeyQuery(req.url ?? '/'), headers, body: body?.toString('utf8') ?? '', receivedAt: new Date().toISOString() });
    if (this.requests.length > KEEP) this.requests.shift();
  }

  list(limit = KEEP): RecordedRequest[] {
    return this.requests.slice(-limit);
  }

  clear(): void {
    this.requests.length = 0;
  }
}

/** Google also takes the key as `?key=`: the recorded URL keeps the parameter, never its value. */
function redactKeyQuery(url: string): string {
  return url.replace(/([?&]key=)[^&#]*/g, '$1[redacted]');
}

/** Keeps the scheme word (`Bearer`) so tests can tell how the key was sent, never the key. */
function redact(value: string): string {
  const space = value.indexOf(' ');
  return space > 0 ? `${value.slice(0, space)} [redacted]` : '[redacted]';
}
