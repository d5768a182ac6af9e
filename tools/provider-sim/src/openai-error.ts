/** Error bodies in the shape OpenAI returns, so SDKs surface status, type and code. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface SimError {
  status: number;
  body: OpenAIErrorBody;
  headers?: Record<string, string>;
}

function simError(status: number, message: string, type: string, param: string | null, code: string | null): SimError {
  return { status, body: { error: { message, type, param, code } } };
}

export function invalidRequest(message: string, param: string | null = null, code: string | null = null): SimError {
  return simError(400, message, 'invalid_request_error', param, code);
}

export function modelNotFound(model: string): SimError {
  return simError(404, `The model \`${model}\` does not exist`, 'invalid_request_error', 'model', 'model_not_found');
}

export function unknownUrl(method: string, path: string): SimError {
  return simError(404, `Unknown request URL: ${method} ${path}`, 'invalid_request_error', null, 'unknown_url');
}

export function methodNotAllowed(method: string, path: string): SimError {
  return simError(405, `Method ${method} not allowed on ${path}`, 'invalid_request_error', null, 'method_not_allowed');
}

export function invalidApiKey(): SimError {
  return simError(401, 'Incorrect API key provided (provider-sim).', 'invalid_request_error', null, 'invalid_api_key');
}

export function bodyTooLarge(limitBytes: number): SimError {
  return simError(413, `Request body exceeds ${limitBytes} bytes`, 'invalid_request_error', null, 'body_too_large');
}

export function serverError(status: 500 | 503): SimError {
  const message =
    status === 503
      ? 'The server is overloaded or not ready yet. (simulated by provider-sim)'
      : 'The server had an error while processing your request. (simulated by provider-sim)';
  return simError(status, message, 'server_error', null, null);
}

export function rateLimited(retryAfterSeconds: number): SimError {
  const error = simError(
    429,
    `Rate limit reached; retry after ${retryAfterSeconds}s. (simulated by provider-sim)`,
    'rate_limit_error',
    null,
    'rate_limit_exceeded',
  );
  // Retry-After only takes whole seconds; retry-after-ms (read by the openai SDK) keeps the exact value.
  const headers = { 'retry-after': String(Math.ceil(retryAfterSeconds)), 'retry-after-ms': String(Math.round(retryAfterSeconds * 1000)) };
  return { ...error, headers };
}
