import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';

/** What browsers on an allowed origin may send: every method and request header of API.md and the official SDKs. */
export const CORS_ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
export const CORS_ALLOWED_HEADERS = [
  'Authorization', 'X-API-Key', 'Content-Type', 'Idempotency-Key', 'X-Request-Id', 'Last-Event-ID',
  // @anthropic-ai/sdk (a browser client must send anthropic-dangerous-direct-browser-access)
  'anthropic-version', 'anthropic-beta', 'anthropic-dangerous-direct-browser-access',
  // openai (and the clients built on it)
  'OpenAI-Organization', 'OpenAI-Project', 'OpenAI-Beta',
  'X-Stainless-Lang', 'X-Stainless-Package-Version', 'X-Stainless-OS', 'X-Stainless-Arch', 'X-Stainless-Runtime',
  'X-Stainless-Runtime-Version', 'X-Stainless-Retry-Count', 'X-Stainless-Timeout', 'X-Stainless-Helper-Method', 'X-Stainless-Helper',
];
/** Response headers a page may read beyond the CORS-safelisted ones. */
export const CORS_EXPOSED_HEADERS = [
  'X-Request-Id', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After', 'Location', 'x-should-retry',
  'x-ish-instance', 'x-ish-provider', 'x-ish-model', 'x-ish-cost-usd', 'x-ish-dropped-params',
];
/** how long a browser may reuse a preflight answer, seconds */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** `https://a.example, http://localhost:5173` → the origins, exact as browsers send them in `Origin`. */
export function parseCorsOrigins(list: string): string[] {
  return [...new Set(list.split(',').map((entry) => entry.trim()).filter(Boolean))];
}

/** Why `list` is not a CORS_ORIGINS value (exact `scheme://host[:port]` origins, no `*`), or undefined when it is. */
export function corsOriginsProblem(list: string): string | undefined {
  for (const entry of parseCorsOrigins(list)) {
    if (entry.includes('*')) return `"${entry}": wildcards are refused, list each origin`;
    let origin: string | undefined;
    try {
      const url = new URL(entry);
      origin = url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
    } catch {
      origin = undefined;
    }
    if (origin !== entry) return `"${entry}" is not an origin like https://console.example.com (scheme, host and port only, no path or trailing slash)`;
  }
  return undefined;
}

/**
 * Nest's `enableCors` options for `origins`: a listed origin gets `Access-Control-Allow-Origin` echoing it
 * (never `*`) and its preflight a 204; any other origin gets no CORS header at all, its preflight falls
 * through to the 404 of a route that does not exist. No credentials: the API takes bearer tokens and API
 * keys in headers, never cookies. undefined when no origin is listed: CORS stays off.
 */
export function corsOptions(origins: readonly string[]): CorsOptions | undefined {
  if (origins.length === 0) return undefined;
  const allowed = new Set(origins);
  return {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: CORS_ALLOWED_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    credentials: false,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    optionsSuccessStatus: 204,
  };
}
