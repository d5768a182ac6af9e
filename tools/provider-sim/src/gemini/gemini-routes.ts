import { IncomingMessage, ServerResponse } from 'node:http';
import { faultFor } from '../api-routes';
import { applyFault } from '../fault-response';
import { BODY_LIMIT_BYTES, parseJson, readBody, safeDecode, sendJson } from '../http-io';
import { SimContext } from '../sim-context';
import {
  apiKeyInvalid,
  GeminiSimError,
  internalError,
  invalidArgument,
  missingApiKey,
  modelNotFound,
  notFound,
  payloadTooLarge,
  resourceExhausted,
  sendGeminiError,
  unavailable,
} from './gemini-sim-errors';
import { defaultDimensions, embeddingVector } from './gemini-sim-embeddings';
import { buildGeminiReply, generateContentBody, promptTokens, sseEvents, streamChunks } from './gemini-sim-reply';
import { isGeminiSimError, parseGenerateContent } from './gemini-sim-request';

type Json = Record<string, unknown>;

/** The models a Gemini-protocol simulator serves unless told otherwise. */
export const GEMINI_DEFAULT_MODELS = ['gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-embedding-001'];

const CHAT_METHODS = ['generateContent', 'streamGenerateContent', 'countTokens'];
const EMBEDDING_METHODS = ['embedContent', 'batchEmbedContents', 'countTokens'];

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmbeddingModel(model: string): boolean {
  return model.includes('embedding');
}

function supportedMethods(model: string): string[] {
  return isEmbeddingModel(model) ? EMBEDDING_METHODS : CHAT_METHODS;
}

function modelObject(model: string) {
  const embedding = isEmbeddingModel(model);
  return {
    name: `models/${model}`,
    version: '001',
    displayName: `${model} (provider-sim)`,
    description: 'Simulated by provider-sim: replies are generated, not from an AI.',
    inputTokenLimit: embedding ? 2048 : 1_048_576,
    outputTokenLimit: embedding ? 1 : 65_536,
    supportedGenerationMethods: supportedMethods(model),
    ...(embedding ? {} : { temperature: 1, topP: 0.95, topK: 64, maxTemperature: 2, thinking: true }),
  };
}

function queryOf(req: IncomingMessage): URLSearchParams {
  return new URL(req.url ?? '/', 'http://sim').searchParams;
}

/** `x-goog-api-key`, or the `key` query parameter, as Google accepts both. */
function authError(ctx: SimContext, req: IncomingMessage): GeminiSimError | undefined {
  if (ctx.apiKey === undefined) return undefined;
  const header = req.headers['x-goog-api-key'];
  const given = (typeof header === 'string' ? header : undefined) ?? queryOf(req).get('key') ?? undefined;
  if (given === undefined || given === '') return missingApiKey();
  return given === ctx.apiKey ? undefined : apiKeyInvalid();
}

/** Auth, fault (in Google's error shape) and latency. Resolves true when the request should be answered. */
async function admit(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const denied = authError(ctx, req);
  if (denied) {
    sendGeminiError(ctx, res, denied);
    return false;
  }
  const fault = faultFor(ctx, req);
  if ('status' in fault) {
    sendGeminiError(ctx, res, invalidArgument(fault.body.error.message));
    return false;
  }
  switch (fault.mode) {
    case 'error500':
      sendGeminiError(ctx, res, internalError());
      return false;
    case 'error503':
      sendGeminiError(ctx, res, unavailable());
      return false;
    case 'rate_limit':
      sendGeminiError(ctx, res, resourceExhausted(fault.retryAfterSeconds));
      return false;
    default:
      if (!(await applyFault(ctx, fault, req, res))) return false;
  }
  return ctx.latencyMs > 0 ? ctx.waiter.wait(ctx.latencyMs, res) : true;
}

/** Reads, records and parses the body; undefined (answered) when it is too large. */
async function readJson(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<{ body: unknown } | undefined> {
  const raw = await readBody(req);
  ctx.recorder.record(req, raw);
  if (raw === undefined) {
    sendGeminiError(ctx, res, payloadTooLarge(BODY_LIMIT_BYTES));
    return undefined;
  }
  return { body: parseJson(raw) };
}

async function writeStream(ctx: SimContext, res: ServerResponse, events: string[]): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (let i = 0; i < events.length - 1; i++) {
    res.write(events[i]);
    if (ctx.streamChunkDelayMs > 0 && !(await ctx.waiter.wait(ctx.streamChunkDelayMs, res))) return;
  }
  res.end(events[events.length - 1] ?? '');
}

async function generate(ctx: SimContext, req: IncomingMessage, res: ServerResponse, model: string, stream: boolean): Promise<void> {
  ctx.stats.chatCompletion();
  const read = await readJson(ctx, req, res);
  if (!read) return;
  ctx.stats.chatBody(model, isObject(read.body) && Array.isArray(read.body.contents) ? read.body.contents.length : 0, stream);
  if (!(await admit(ctx, req, res))) return;
  const method = stream ? 'streamGenerateContent' : 'generateContent';
  if (!ctx.modelSet.has(model) || !supportedMethods(model).includes(method)) return sendGeminiError(ctx, res, modelNotFound(model, method));
  const request = parseGenerateContent(read.body);
  if (isGeminiSimError(request)) return sendGeminiError(ctx, res, request);

  const reply = buildGeminiReply(ctx.name, request);
  const meta = { model, responseId: ctx.nextCompletionId().replace(/^chatcmpl-/, '') };
  if (!stream) return sendJson(res, 200, generateContentBody(meta, reply));
  const chunks = streamChunks(meta, reply);
  // Without alt=sse Google streams one JSON array of the partial responses.
  if (queryOf(req).get('alt') !== 'sse') return sendJson(res, 200, chunks);
  await writeStream(ctx, res, sseEvents(chunks));
}

async function countTokens(ctx: SimContext, req: IncomingMessage, res: ServerResponse, model: string): Promise<void> {
  const read = await readJson(ctx, req, res);
  if (!read) return;
  if (!(await admit(ctx, req, res))) return;
  if (!ctx.modelSet.has(model)) return sendGeminiError(ctx, res, modelNotFound(model, 'countTokens'));
  const body = isObject(read.body) && isObject(read.body.generateContentRequest) ? read.body.generateContentRequest : read.body;
  const request = parseGenerateContent(body);
  if (isGeminiSimError(request)) return sendGeminiError(ctx, res, request);
  const total = promptTokens(request);
  sendJson(res, 200, { totalTokens: total, promptTokensDetails: [{ modality: 'TEXT', tokenCount: total }] });
}

/** One EmbedContentRequest → its vector, or Gemini's 400. */
function embedOne(model: string, request: unknown, path: string): number[] | GeminiSimError {
  if (!isObject(request) || !isObject(request.content) || !Array.isArray(request.content.parts) || request.content.parts.length === 0) {
    return invalidArgument(`* ${path}.content.parts: contents.parts must not be empty.`);
  }
  if (request.model !== undefined && request.model !== `models/${model}`) {
    return invalidArgument(`* ${path}.model: model ${JSON.stringify(request.model)} must match the model in the URL, models/${model}`);
  }
  const text = request.content.parts.map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : '')).join(' ');
  const max = defaultDimensions(model);
  const dimensions = request.outputDimensionality ?? max;
  if (!Number.isInteger(dimensions) || (dimensions as number) < 1 || (dimensions as number) > max) {
    return invalidArgument(`* ${path}.output_dimensionality: must be between 1 and ${max}`);
  }
  return embeddingVector(text, dimensions as number);
}

async function embed(ctx: SimContext, req: IncomingMessage, res: ServerResponse, model: string, batch: boolean): Promise<void> {
  const read = await readJson(ctx, req, res);
  if (!read) return;
  if (!(await admit(ctx, req, res))) return;
  const method = batch ? 'batchEmbedContents' : 'embedContent';
  if (!ctx.modelSet.has(model) || !supportedMethods(model).includes(method)) return sendGeminiError(ctx, res, modelNotFound(model, method));
  if (!batch) {
    const values = embedOne(model, read.body, 'EmbedContentRequest');
    if (!Array.isArray(values)) return sendGeminiError(ctx, res, values);
    return sendJson(res, 200, { embedding: { values } });
  }
  const requests = isObject(read.body) ? read.body.requests : undefined;
  if (!Array.isArray(requests) || requests.length === 0) return sendGeminiError(ctx, res, invalidArgument('* BatchEmbedContentsRequest.requests: requests is not specified'));
  const embeddings: { values: number[] }[] = [];
  for (let i = 0; i < requests.length; i++) {
    const values = embedOne(model, requests[i], `BatchEmbedContentsRequest.requests[${i}]`);
    if (!Array.isArray(values)) return sendGeminiError(ctx, res, values);
    embeddings.push({ values });
  }
  sendJson(res, 200, { embeddings });
}

async function listModels(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  ctx.stats.modelsListed();
  ctx.recorder.record(req, undefined);
  if (!(await admit(ctx, req, res))) return;
  sendJson(res, 200, { models: ctx.models.map(modelObject) });
}

async function getModel(ctx: SimContext, req: IncomingMessage, res: ServerResponse, model: string): Promise<void> {
  ctx.stats.modelsListed();
  ctx.recorder.record(req, undefined);
  if (!(await admit(ctx, req, res))) return;
  if (ctx.modelSet.has(model)) sendJson(res, 200, modelObject(model));
  else sendGeminiError(ctx, res, modelNotFound(model, 'get'));
}

/** Serves Gemini's native API (v1beta, and v1 alike) under the simulator's URL. */
export async function handleGeminiRequest(ctx: SimContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const method = req.method ?? 'GET';
  if (path === '/health' && method === 'GET') return sendJson(res, 200, { status: 'ok', simulator: true, protocol: 'gemini', name: ctx.name, models: ctx.models });
  const match = /^\/(?:v1beta|v1)\/models(?:\/(.+))?$/.exec(path);
  if (!match) return sendGeminiError(ctx, res, notFound(method, path));
  const rest = match[1];
  if (rest === undefined) {
    if (method === 'GET') return listModels(ctx, req, res);
    return sendGeminiError(ctx, res, notFound(method, path));
  }
  const colon = rest.lastIndexOf(':');
  if (colon === -1) {
    if (method === 'GET') return getModel(ctx, req, res, safeDecode(rest));
    return sendGeminiError(ctx, res, notFound(method, path));
  }
  const model = safeDecode(rest.slice(0, colon));
  const action = rest.slice(colon + 1);
  if (method !== 'POST') return sendGeminiError(ctx, res, notFound(method, path));
  switch (action) {
    case 'generateContent':
      return generate(ctx, req, res, model, false);
    case 'streamGenerateContent':
      return generate(ctx, req, res, model, true);
    case 'countTokens':
      return countTokens(ctx, req, res, model);
    case 'embedContent':
      return embed(ctx, req, res, model, false);
    case 'batchEmbedContents':
      return embed(ctx, req, res, model, true);
    default:
      return sendGeminiError(ctx, res, notFound(method, path));
  }
}
