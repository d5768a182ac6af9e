import { IncomingMessage, ServerResponse } from 'node:http';
import { buildReply, chatCompletionBody, chatCompletionChunkEvents, CompletionMeta } from './chat-reply';
import { parseChatRequest } from './chat-request';
import { embeddingsBody, parseEmbeddingsRequest } from './embeddings';
import { ActiveFault, isFaultMode, toActiveFault } from './fault-state';
import { applyFault } from './fault-response';
import { BODY_LIMIT_BYTES, parseJson, readBody, sendJson } from './http-io';
import { bodyTooLarge, invalidApiKey, invalidRequest, methodNotAllowed, modelNotFound, SimError, unknownUrl } from './openai-error';
import { sendError, SimContext } from './sim-context';
import { FAULT_MODES } from './types';

const MODEL_CREATED = 1_700_000_000;

function modelObject(id: string) {
  return { id, object: 'model', created: MODEL_CREATED, owned_by: 'provider-sim' };
}

/** OpenAI's Bearer token, or Azure OpenAI's `api-key` header (the Azure routes below). */
function isAuthorized(ctx: SimContext, req: IncomingMessage): boolean {
  return ctx.apiKey === undefined || req.headers.authorization === `Bearer ${ctx.apiKey}` || req.headers['api-key'] === ctx.apiKey;
}

/** Azure's deployments form: the deployment in the URL is the model, whatever the body says. */
function withDeployment(body: unknown, deployment: string | undefined): unknown {
  if (deployment === undefined || typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return { ...body, model: deployment };
}

function optionalNumberHeader(req: IncomingMessage, name: string): number | undefined | SimError {
  const raw = req.headers[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : invalidRequest(`header ${name} must be a number >= 0`, name);
}

/** The fault for this request: the `x-sim-fault` header if present (not consuming a counted fault), else the configured one. */
export function faultFor(ctx: SimContext, req: IncomingMessage): ActiveFault | SimError {
  const mode = req.headers['x-sim-fault'];
  if (mode === undefined) return ctx.faults.take(req.method === 'GET' ? 'listing' : 'call');
  if (!isFaultMode(mode)) return invalidRequest(`header x-sim-fault must be one of ${FAULT_MODES.join(', ')}`, 'x-sim-fault');
  const delayMs = optionalNumberHeader(req, 'x-sim-fault-delay-ms');
  if (typeof delayMs === 'object') return delayMs;
  const retryAfterSeconds = optionalNumberHeader(req, 'x-sim-fault-retry-after');
  if (typeof retryAfterSeconds === 'object') return retryAfterSeconds;
  return toActiveFault({ mode, delayMs, retryAfterSeconds });
}

/** Auth, fault and latency shared by the faultable endpoints. Resolves true when the request should be answered. */
async function admit(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (!isAuthorized(ctx, req)) {
    sendError(ctx, res, invalidApiKey());
    return false;
  }
  const fault = faultFor(ctx, req);
  if ('status' in fault) {
    sendError(ctx, res, fault);
    return false;
  }
  if (!(await applyFault(ctx, fault, req, res))) return false;
  return ctx.latencyMs > 0 ? ctx.waiter.wait(ctx.latencyMs, res) : true;
}

async function listModels(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  ctx.stats.modelsListed();
  if (!(await admit(ctx, req, res))) return;
  sendJson(res, 200, { object: 'list', data: ctx.models.map(modelObject) });
}

async function retrieveModel(ctx: SimContext, req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
  ctx.stats.modelsListed();
  if (!(await admit(ctx, req, res))) return;
  if (ctx.modelSet.has(id)) sendJson(res, 200, modelObject(id));
  else sendError(ctx, res, modelNotFound(id));
}

/** Records what was asked, even when a fault or validation then rejects it. */
function recordChatBody(ctx: SimContext, body: unknown): void {
  if (typeof body !== 'object' || body === null) return;
  const { model, messages, stream } = body as Record<string, unknown>;
  if (typeof model !== 'string') return;
  ctx.stats.chatBody(model, Array.isArray(messages) ? messages.length : 0, stream === true);
}

/** Writes SSE events, spaced by the stream chunk delay; stops when the client leaves. */
export async function streamEvents(ctx: SimContext, res: ServerResponse, events: string[]): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  if (ctx.streamChunkDelayMs <= 0) {
    res.end(events.join(''));
    return;
  }
  for (let i = 0; i < events.length - 1; i++) {
    res.write(events[i]);
    if (!(await ctx.waiter.wait(ctx.streamChunkDelayMs, res))) return;
  }
  res.end(events[events.length - 1]);
}

async function chatCompletion(ctx: SimContext, req: IncomingMessage, res: ServerResponse, deployment?: string): Promise<void> {
  ctx.stats.chatCompletion();
  const raw = await readBody(req);
  if (raw === undefined) return sendError(ctx, res, bodyTooLarge(BODY_LIMIT_BYTES));
  ctx.recorder.record(req, raw);
  const body = withDeployment(parseJson(raw), deployment);
  recordChatBody(ctx, body);
  if (!(await admit(ctx, req, res))) return;

  const parsed = parseChatRequest(body, ctx.modelSet);
  if (!parsed.ok) return sendError(ctx, res, parsed.error);
  const { request } = parsed;
  const reply = buildReply(ctx.name, request);
  const meta: CompletionMeta = { id: ctx.nextCompletionId(), created: Math.floor(Date.now() / 1000), model: request.model };
  if (request.stream) await streamEvents(ctx, res, chatCompletionChunkEvents(meta, reply, request.includeUsage));
  else sendJson(res, 200, chatCompletionBody(meta, reply));
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const AZURE_DEPLOYMENT_PATH = /^\/openai\/deployments\/([^/]+)(\/.*)$/;

/**
 * Serves one provider API request; `path` has the optional /v1 prefix removed. Azure OpenAI's
 * addressing reaches the same routes: `/openai/v1/…` (its v1 API), `/openai/deployments/{d}/…`
 * (dated api-versions; the deployment is the model) and `/openai/models`.
 */
export async function handleApiRequest(ctx: SimContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const method = req.method ?? 'GET';
  if (path.startsWith('/openai/v1/')) return handleApiRequest(ctx, req, res, path.slice('/openai/v1'.length));
  if (path === '/openai/models') return handleApiRequest(ctx, req, res, '/models');
  const azure = AZURE_DEPLOYMENT_PATH.exec(path);
  if (azure && azure[2] === '/chat/completions' && method === 'POST') return chatCompletion(ctx, req, res, safeDecode(azure[1]));
  if (path === '/chat/completions') {
    if (method === 'POST') return chatCompletion(ctx, req, res);
  } else if (path === '/embeddings') {
    if (method === 'POST') return createEmbeddings(ctx, req, res);
  } else if (path === '/models') {
    if (method === 'GET') return listModels(ctx, req, res);
  } else if (path.startsWith('/models/')) {
    if (method === 'GET') return retrieveModel(ctx, req, res, safeDecode(path.slice('/models/'.length)));
  } else if (path === '/health') {
    if (method === 'GET') return sendJson(res, 200, { status: 'ok', simulator: true, name: ctx.name, models: ctx.models });
  } else {
    return sendError(ctx, res, unknownUrl(method, path));
  }
  sendError(ctx, res, methodNotAllowed(method, path));
}

/** `POST /embeddings`: deterministic unit vectors, with the same key check, faults and latency as chat. */
async function createEmbeddings(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = await readBody(req);
  if (raw === undefined) return sendError(ctx, res, bodyTooLarge(BODY_LIMIT_BYTES));
  ctx.recorder.record(req, raw);
  if (!(await admit(ctx, req, res))) return;
  const parsed = parseEmbeddingsRequest(parseJson(raw), ctx.modelSet);
  if (!parsed.ok) return sendError(ctx, res, parsed.error);
  const request = ctx.embeddingsBase64 ? parsed.request : { ...parsed.request, encoding: 'float' as const };
  sendJson(res, 200, embeddingsBody(request));
}
