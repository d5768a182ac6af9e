import { ServerResponse } from 'node:http';
import { sendJson } from '../http-io';
import { SimContext } from '../sim-context';

/** Google's error body `{"error":{"code","message","status","details"?}}` with its HTTP status. */
export interface GeminiSimError {
  status: number;
  body: { error: { code: number; message: string; status: string; details?: object[] } };
  headers?: Record<string, string>;
}

function googleError(code: number, status: string, message: string, details?: object[]): GeminiSimError {
  return { status: code, body: { error: { code, message, status, ...(details ? { details } : {}) } } };
}

export function invalidArgument(message: string): GeminiSimError {
  return googleError(400, 'INVALID_ARGUMENT', message);
}

/** What Google answers a wrong key: 400, not 401. */
export function apiKeyInvalid(): GeminiSimError {
  return googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key. (provider-sim)', [
    { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
  ]);
}

/** What Google answers a request without any key. */
export function missingApiKey(): GeminiSimError {
  return googleError(
    403,
    'PERMISSION_DENIED',
    'Method doesn\'t allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API. (provider-sim)',
  );
}

export function modelNotFound(model: string, method: string): GeminiSimError {
  return googleError(
    404,
    'NOT_FOUND',
    `models/${model} is not found for API version v1beta, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.`,
  );
}

export function notFound(method: string, path: string): GeminiSimError {
  return googleError(404, 'NOT_FOUND', `Unknown request URL: ${method} ${path} (provider-sim, Gemini protocol)`);
}

export function payloadTooLarge(limitBytes: number): GeminiSimError {
  return googleError(413, 'INVALID_ARGUMENT', `Request payload size exceeds the limit: ${limitBytes} bytes.`);
}

export function internalError(): GeminiSimError {
  return googleError(500, 'INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting (simulated by provider-sim)');
}

export function unavailable(): GeminiSimError {
  return googleError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later. (simulated by provider-sim)');
}

/** 429 with Google's RetryInfo, and Retry-After for clients that read headers. */
export function resourceExhausted(retryAfterSeconds: number): GeminiSimError {
  const error = googleError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details. (simulated by provider-sim)', [
    { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterSeconds}s` },
  ]);
  return { ...error, headers: { 'retry-after': String(Math.ceil(retryAfterSeconds)) } };
}

export function sendGeminiError(ctx: SimContext, res: ServerResponse, error: GeminiSimError): void {
  ctx.stats.error();
  sendJson(res, error.status, error.body, error.headers);
}
