/** One field problem of a 400 answer (API.md `details`). */
export interface ErrorDetail {
  field?: string;
  message: string;
}

/** A non-2xx answer of the API, in the API.md error shape (or made to look like it). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly requestId: string | null = null,
    readonly retryAfterSeconds: number | null = null,
    /** the offending field, as OpenAI-style errors name it */
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'invalid_request_error',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
};

/** Reads an error answer; a body that is not the API.md shape (a proxy's HTML page) still gives a usable failure. */
export function toApiFailure(status: number, bodyText: string, headers?: { get(name: string): string | null }): ApiFailure {
  const requestId = headers?.get('x-request-id') ?? null;
  const retryAfter = Number(headers?.get('retry-after'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null;
  try {
    const parsed = JSON.parse(bodyText) as { error?: { type?: unknown; code?: unknown; message?: unknown; details?: unknown; param?: unknown } };
    const error = parsed?.error;
    if (error && typeof error.message === 'string') {
      const details = Array.isArray(error.details) ? (error.details as ErrorDetail[]).filter((d) => d && typeof d.message === 'string') : [];
      return new ApiFailure(status, String(error.type ?? fallbackType(status)), String(error.code ?? `http_${status}`), error.message, details, requestId, retryAfterSeconds, typeof error.param === 'string' ? error.param : null);
    }
  } catch {
    /* not JSON */
  }
  return new ApiFailure(status, fallbackType(status), `http_${status}`, `The gateway answered HTTP ${status}`, [], requestId, retryAfterSeconds);
}

function fallbackType(status: number): string {
  return TYPE_BY_STATUS[status] ?? (status >= 500 ? 'upstream_error' : 'api_error');
}

/**
 * What a refused write says about each field, to show beside it: `details` by field path (`budget.limitUsd`), and
 * the `param` of an answer without details (a 403 naming the field) with the answer's message.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiFailure)) return {};
  const fields: Record<string, string> = {};
  for (const detail of error.details) {
    if (detail.field) fields[detail.field] = fields[detail.field] ? `${fields[detail.field]}; ${detail.message}` : detail.message;
  }
  if (error.param && !fields[error.param]) fields[error.param] = error.message;
  return fields;
}

/** The first message about `field` or any field under it (`budget` takes `budget.limitUsd`). */
export function errorFor(fields: Record<string, string>, field: string): string | undefined {
  return fields[field] ?? Object.entries(fields).find(([name]) => name.startsWith(`${field}.`))?.[1];
}

/** True for a request the caller stopped on purpose (Stop button, page left): nothing to report. */
export function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** What to tell the operator, in one or two sentences. */
export function describeError(error: unknown): string {
  if (error instanceof ApiFailure) {
    const fields = error.details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message));
    switch (error.status) {
      case 401:
        return error.message;
      case 403:
        return `Not allowed: ${error.message}`;
      case 429:
        return `Too many requests${error.retryAfterSeconds ? `; try again in ${error.retryAfterSeconds} s` : ''}. ${error.message}`;
      default:
        if (error.status >= 500) return `${error.message} (HTTP ${error.status}${error.requestId ? `, request ${error.requestId}` : ''})`;
        return fields.length > 0 ? `${error.message} — ${fields.join('; ')}` : error.message;
    }
  }
  if (error instanceof TypeError) return 'The gateway cannot be reached. Check the connection and try again.';
  if (error instanceof Error) return error.message;
  return String(error);
}
