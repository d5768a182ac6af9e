/** Longest upstream text we pass on: a provider's message, not its page. */
export const MAX_UPSTREAM_TEXT_CHARS = 300;

const HEADER_NAMES = 'authorization|proxy-authorization|x-api-key|api-key|x-goog-api-key|anthropic-api-key|cookie|set-cookie';

const CREDENTIALS: [RegExp, string][] = [
  // an upstream (or a proxy in front of it) that echoes the request must not echo our credentials
  [new RegExp(`\\b(${HEADER_NAMES})\\b["']?\\s*[:=]\\s*["']?(?:(?:bearer|basic)\\s+)?[^\\s"',;}]+`, 'gi'), '$1: [redacted]'],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  [/\b(sk|ish|whsec|key)[-_][A-Za-z0-9_-]{12,}/g, '[redacted]'],
];

const REDACTIONS: [RegExp, string][] = [
  ...CREDENTIALS,
  // where our instances live is ours to know
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)\]]+/gi, '[url]'],
  [/\[[0-9a-f:.]*:[0-9a-f:.]*\](?::\d+)?/gi, '[address]'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, '[address]'],
  [/(?<![\w:])[0-9a-f]*:[0-9a-f]*:[0-9a-f:.]*(?:%\w+)?(?![\w:])/gi, '[address]'],
  [/\b(ENOTFOUND|EAI_AGAIN|getaddrinfo\s+\w+)\s+\S+/g, '$1 [host]'],
];

/**
 * Upstream text (an error body, a connection error) as we show it to a client or an operator: our
 * credentials, URLs and addresses taken out, whitespace collapsed, cut to `maxChars`. A provider's
 * own words ("model not found", "max_tokens is too large") pass through.
 */
export function safeUpstreamText(text: string, maxChars = MAX_UPSTREAM_TEXT_CHARS, secrets: readonly string[] = []): string {
  let safe = text;
  for (const secret of secrets) if (secret.length >= 4) safe = safe.split(secret).join('[redacted]');
  for (const [pattern, replacement] of REDACTIONS) safe = safe.replace(pattern, replacement);
  safe = safe.replace(/\s+/g, ' ').trim();
  return safe.length > maxChars ? `${safe.slice(0, maxChars - 1)}…` : safe;
}

/** `text` with anything shaped like a credential (auth headers, bearer tokens, `sk-`/`ish_`/`whsec_` keys) replaced by `[redacted]`. */
export function redactCredentials(text: string): string {
  let safe = text;
  for (const [pattern, replacement] of CREDENTIALS) safe = safe.replace(pattern, replacement);
  return safe;
}
