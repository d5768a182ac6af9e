import { IncomingMessage, ServerResponse } from 'node:http';
import { streamEvents } from '../api-routes';
import { applyFault } from '../fault-response';
import { ActiveFault, isFaultMode, toActiveFault } from '../fault-state';
import { BODY_LIMIT_BYTES, parseJson, readBody, safeDecode, sendJson } from '../http-io';
import { SimContext } from '../sim-context';
import { FAULT_MODES } from '../types';
import { anthropicError, AnthropicSimError, invalidRequest, isAnthropicErrorType, isSimError, sendAnthropicError } from './anthropic-error';
import { buildMessagesReply, countInputTokens, MessageMeta, messageBody, messageStreamEvents } from './messages-reply';
import { AnthropicVersion, isAnthropicVersion, parseMessagesRequest, ANTHROPIC_VERSIONS } from './messages-request';

export const ANTHROPIC_DEFAULT_MODELS = ['claude-sonnet-5-5', 'claude-haiku-5-5', 'sim-small'];
const MODEL_CREATED_AT = '2026-01-01T00:00:00Z';
const DEFAULT_PAGE = 20;
const MAX_PAGE = 1000;

/** Ids in Anthropic's forms (`msg_…`, `toolu_…`, `req_…`), unique per simulator. */
function newId(ctx: SimContext, prefix: string): string {
  return `${prefix}_${ctx.nextCompletionId().slice('chatcmpl-'.length)}`;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `x-api-key`, else `Authorization: Bearer` (Anthropic reads x-api-key when both come). */
function authError(ctx: SimContext, req: IncomingMessage): AnthropicSimError | undefined {
  if (ctx.apiKey === undefined) return undefined;
  const apiKey = header(req, 'x-api-key');
  const bearer = /^Bearer (.+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
  const presented = apiKey ?? bearer;
  if (presented === undefined) return anthropicError('authentication_error', 'x-api-key header is required');
  return presented === ctx.apiKey ? undefined : anthropicError('authentication_error', 'invalid x-api-key');
}

function versionOf(req: IncomingMessage): AnthropicVersion | AnthropicSimError {
  const version = header(req, 'anthropic-version');
  if (version === undefined) return invalidRequest('anthropic-version: header is required');
  if (!isAnthropicVersion(version)) return invalidRequest(`anthropic-version: invalid version "${version}"; supported: ${ANTHROPIC_VERSIONS.join(', ')}`);
  return version;
}

function optionalNumberHeader(req: IncomingMessage, name: string): number | undefined | AnthropicSimError {
  const raw = header(req, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : invalidRequest(`header ${name} must be a number >= 0`);
}

/** The `x-sim-fault` header's fault (not using up a counted one), else the configured fault. */
function faultFor(ctx: SimContext, req: IncomingMessage): ActiveFault | AnthropicSimError {
  const mode = header(req, 'x-sim-fault');
  if (mode === undefined) return ctx.faults.take(req.method === 'GET' ? 'listing' : 'call');
  if (!isFaultMode(mode)) return invalidRequest(`header x-sim-fault must be one of ${FAULT_MODES.join(', ')}`);
  const delayMs = optionalNumberHeader(req, 'x-sim-fault-delay-ms');
  if (isSimError(delayMs)) return delayMs;
  const retryAfterSeconds = optionalNumberHeader(req, 'x-sim-fault-retry-after');
  if (isSimError(retryAfterSeconds)) return retryAfterSeconds;
  return toActiveFault({ mode, delayMs, retryAfterSeconds });
}

/** The error faults the Anthropic way: 500 api_error, 529 overloaded_error (for error503), 429 with retry-after. */
function faultError(fault: ActiveFault): AnthropicSimError | undefined {
  if (fault.mode === 'error500') return anthropicError('api_error', 'Internal server error (simulated by provider-sim)');
  if (fault.mode === 'error503') return anthropicError('overloaded_error', 'Overloaded (simulated by provider-sim)');
  if (fault.mode === 'rate_limit') {
    const seconds = Math.ceil(fault.retryAfterSeconds);
    return anthropicError('rate_limit_error', `Number of requests has exceeded your rate limit; retry after ${seconds}s (simulated by provider-sim)`, { 'retry-after': String(seconds) });
  }
  return undefined;
}

/** Auth, the version header, the fault and the latency. Resolves the version when the request should be answered. */
async function admit(ctx: SimContext, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<AnthropicVersion | undefined> {
  const refused = authError(ctx, req);
  if (refused) return void sendAnthropicError(ctx, res, refused, requestId);
  const version = versionOf(req);
  if (isSimError(version)) return void sendAnthropicError(ctx, res, version, requestId);
  const fault = faultFor(ctx, req);
  if (isSimError(fault)) return void sendAnthropicError(ctx, res, fault, requestId);
  const error = faultError(fault);
  if (error) return void sendAnthropicError(ctx, res, error, requestId);
  if (!(await applyFault(ctx, fault, req, res))) return undefined;
  if (ctx.latencyMs > 0 && !(await ctx.waiter.wait(ctx.latencyMs, res))) return undefined;
  return version;
}

/** The body as received (recorded byte for byte), parsed; undefined when it was too large (413 sent). */
async function receiveBody(ctx: SimContext, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<{ body: unknown } | undefined> {
  const raw = await readBody(req);
  ctx.recorder.record(req, raw);
  if (raw === undefined) {
    sendAnthropicError(ctx, res, anthropicError('request_too_large', `Request exceeds the maximum size of ${BODY_LIMIT_BYTES} bytes`), requestId);
    return undefined;
  }
  return { body: parseJson(raw) };
}

function recordChatBody(ctx: SimContext, body: unknown): void {
  if (typeof body !== 'object' || body === null) return;
  const { model, messages, stream } = body as Record<string, unknown>;
  if (typeof model === 'string') ctx.stats.chatBody(model, Array.isArray(messages) ? messages.length : 0, stream === true);
}

async function createMessage(ctx: SimContext, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
  ctx.stats.chatCompletion();
  const received = await receiveBody(ctx, req, res, requestId);
  if (!received) return;
  recordChatBody(ctx, received.body);
  const version = await admit(ctx, req, res, requestId);
  if (!version) return;
  const request = parseMessagesRequest(received.body, version, ctx.modelSet);
  if (isSimError(request)) return sendAnthropicError(ctx, res, request, requestId);

  const reply = buildMessagesReply(ctx.name, request, () => newId(ctx, 'toolu'));
  const meta: MessageMeta = { id: newId(ctx, 'msg'), model: request.model, version };
  if (!request.stream) return sendJson(res, 200, messageBody(meta, reply));
  // a test can make the stream end in an `error` event, as Anthropic does when it is overloaded mid-answer
  const streamError = header(req, 'x-sim-stream-error');
  const errorEvent = isAnthropicErrorType(streamError) ? { type: streamError, message: `${streamError} (simulated by provider-sim)` } : undefined;
  if (errorEvent) ctx.stats.error();
  await streamEvents(ctx, res, messageStreamEvents(meta, reply, errorEvent));
}

async function countTokens(ctx: SimContext, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
  const received = await receiveBody(ctx, req, res, requestId);
  if (!received) return;
  const version = await admit(ctx, req, res, requestId);
  if (!version) return;
  const request = parseMessagesRequest(received.body, version, ctx.modelSet, true);
  if (isSimError(request)) return sendAnthropicError(ctx, res, request, requestId);
  sendJson(res, 200, { input_tokens: countInputTokens(request) });
}

function modelInfo(id: string) {
  return {
    type: 'model',
    id,
    display_name: id,
    created_at: MODEL_CREATED_AT,
    lifecycle: 'active',
    deprecated_at: null,
    retires_at: null,
    capabilities: null,
    line: null,
    max_input_tokens: null,
    max_tokens: null,
  };
}

/** Anthropic's list page: `limit` (1–1000, default 20), `after_id` / `before_id` cursors. */
function modelPage(ids: readonly string[], query: URLSearchParams): object | AnthropicSimError {
  const limitRaw = query.get('limit');
  const limit = limitRaw === null ? DEFAULT_PAGE : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) return invalidRequest(`limit: Input should be between 1 and ${MAX_PAGE}`);
  const afterId = query.get('after_id');
  const beforeId = query.get('before_id');
  let start = 0;
  let end = ids.length;
  if (afterId !== null) start = ids.indexOf(afterId) + 1;
  if (beforeId !== null) end = Math.max(0, ids.indexOf(beforeId));
  const page = beforeId !== null && afterId === null ? ids.slice(Math.max(start, end - limit), end) : ids.slice(start, Math.min(end, start + limit));
  const hasMore = beforeId !== null && afterId === null ? end - limit > start : start + limit < end;
  return { data: page.map(modelInfo), has_more: hasMore, first_id: page[0] ?? null, last_id: page[page.length - 1] ?? null };
}

async function listModels(ctx: SimContext, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
  ctx.stats.modelsListed();
  ctx.recorder.record(req, undefined);
  if (!(await admit(ctx, req, res, requestId))) return;
  const page = modelPage(ctx.models, new URL(req.url ?? '/', 'http://sim').searchParams);
  if (isSimError(page)) return sendAnthropicError(ctx, res, page, requestId);
  sendJson(res, 200, page);
}

async function retrieveModel(ctx: SimContext, req: IncomingMessage, res: ServerResponse, requestId: string, id: string): Promise<void> {
  ctx.stats.modelsListed();
  ctx.recorder.record(req, undefined);
  if (!(await admit(ctx, req, res, requestId))) return;
  if (ctx.modelSet.has(id)) sendJson(res, 200, modelInfo(id));
  else sendAnthropicError(ctx, res, anthropicError('not_found_error', `model: ${id}`), requestId);
}

/** Serves Anthropic's API (`--protocol anthropic`); every answer carries a `request-id`. */
export async function handleAnthropicRequest(ctx: SimContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const method = req.method ?? 'GET';
  const requestId = newId(ctx, 'req');
  res.setHeader('request-id', requestId);
  const allowed = (expected: string) => {
    if (method === expected) return true;
    sendAnthropicError(ctx, res, invalidRequest(`Method ${method} not allowed on ${path}`), requestId);
    return false;
  };
  if (path === '/v1/messages') {
    if (allowed('POST')) return createMessage(ctx, req, res, requestId);
  } else if (path === '/v1/messages/count_tokens') {
    if (allowed('POST')) return countTokens(ctx, req, res, requestId);
  } else if (path === '/v1/models') {
    if (allowed('GET')) return listModels(ctx, req, res, requestId);
  } else if (path.startsWith('/v1/models/')) {
    if (allowed('GET')) return retrieveModel(ctx, req, res, requestId, safeDecode(path.slice('/v1/models/'.length)));
  } else if (path === '/health') {
    if (allowed('GET')) return sendJson(res, 200, { status: 'ok', simulator: true, name: ctx.name, protocol: 'anthropic', models: ctx.models });
  } else {
    sendAnthropicError(ctx, res, anthropicError('not_found_error', `Not found: ${method} ${path}`), requestId);
  }
}
