import type { RequestLogBodies } from '@ish/database';
import { redactCredentials } from '@ish/providers';

/** Longest JSON text of one kept body; a longer one is kept cut, as `{"truncated":true,"text":…}`. */
export const MAX_KEPT_BODY_CHARS = 256 * 1024;

/** Most stream items (chunks or events) a kept streamed reply holds. */
export const MAX_KEPT_STREAM_ITEMS = 2000;

// fields that name a credential, whatever a client or provider put in them
const CREDENTIAL_FIELDS = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-goog-api-key|api[-_]?key|apikey|password|secret|client[-_]?secret|(access|refresh|id)[-_]?token)$/i;
const MAX_DEPTH = 64;

/** A value as the request log may keep it: credential fields and credential-shaped text redacted, NUL characters (jsonb refuses them) removed. */
export function withoutCredentials(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactCredentials(value.includes('\u0000') ? value.split('\u0000').join('') : value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => withoutCredentials(item, depth + 1));
  const kept: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) kept[key] = CREDENTIAL_FIELDS.test(key) ? '[redacted]' : withoutCredentials(item, depth + 1);
  return kept;
}

/** One body as kept: credentials out, at most MAX_KEPT_BODY_CHARS of JSON. */
function keptBody(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  const safe = withoutCredentials(value);
  const text = JSON.stringify(safe);
  return text.length > MAX_KEPT_BODY_CHARS ? { truncated: true, text: text.slice(0, MAX_KEPT_BODY_CHARS) } : safe;
}

/** The prompt and reply of a call as the request log keeps them (REQUEST_LOG_BODIES=true). */
export function keptBodies(request: unknown, response: unknown): RequestLogBodies {
  return { request: keptBody(request), response: keptBody(response) };
}
