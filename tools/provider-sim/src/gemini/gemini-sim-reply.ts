import { countWords } from '../chat-reply';
import { argumentsFromSchema } from './schema-arguments';
import { GeminiSimRequest, SimFunction } from './gemini-sim-request';

const PER_MESSAGE_TOKENS = 3;

export interface FunctionCallReply {
  name: string;
  args: unknown;
}

/** What the simulator answers: text in word pieces, or function calls; usage counted in words. */
export interface GeminiSimReply {
  pieces: string[];
  calls: FunctionCallReply[];
  finishReason: 'STOP' | 'MAX_TOKENS';
  promptTokens: number;
  completionTokens: number;
}

export interface ReplyMeta {
  model: string;
  responseId: string;
}

/** The prompt's tokens as every protocol of the simulator counts them: words of every message + 3 per message. */
export function promptTokens(request: Pick<GeminiSimRequest, 'messages'>): number {
  return request.messages.reduce((sum, message) => sum + countWords(message.text) + PER_MESSAGE_TOKENS, 0);
}

/** The functions the reply calls: none unless tools are offered, calling is allowed and the user spoke last. */
function functionsToCall(request: GeminiSimRequest): SimFunction[] {
  if (request.functions.length === 0 || request.mode === 'NONE' || request.last.kind !== 'user') return [];
  const restricted = request.mode !== 'AUTO' && request.allowedFunctionNames.length > 0;
  const offered = restricted ? request.allowedFunctionNames.map((name) => request.functions.find((fn) => fn.name === name) as SimFunction) : request.functions;
  const forcedOne = restricted && offered.length === 1;
  const parallel = !forcedOne && offered.length >= 2 && /\bparallel\b/i.test(request.last.text);
  return offered.slice(0, parallel ? 2 : 1);
}

function lastUserText(request: GeminiSimRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    if (request.messages[i].role === 'user') return request.messages[i].text.trim();
  }
  return '';
}

/** Deterministic, as the OpenAI protocol's: a tool call, `… tool result: <text>`, or `[provider-sim <name>] <last user text>`. */
export function buildGeminiReply(simName: string, request: GeminiSimRequest): GeminiSimReply {
  const prompt = promptTokens(request);
  const toCall = functionsToCall(request);
  if (toCall.length > 0) {
    const userText = request.last.kind === 'user' ? request.last.text : '';
    const calls = toCall.map((fn) => ({ name: fn.name, args: argumentsFromSchema(fn.schema ?? { type: 'object' }, userText) }));
    const completion = calls.reduce((sum, call) => sum + countWords(JSON.stringify(call.args)), 0);
    return { pieces: [], calls, finishReason: 'STOP', promptTokens: prompt, completionTokens: completion };
  }
  const full =
    request.last.kind === 'function_response'
      ? `[provider-sim ${simName}] tool result: ${request.last.text.trim()}`
      : `[provider-sim ${simName}] ${lastUserText(request) || '(no user message)'}`;
  const all = full.match(/\s*\S+/g) ?? [];
  const truncated = request.maxOutputTokens !== undefined && all.length > request.maxOutputTokens;
  const pieces = truncated ? all.slice(0, request.maxOutputTokens) : all;
  return { pieces, calls: [], finishReason: truncated ? 'MAX_TOKENS' : 'STOP', promptTokens: prompt, completionTokens: pieces.length };
}

function usageMetadata(reply: GeminiSimReply, completion: number) {
  return {
    promptTokenCount: reply.promptTokens,
    candidatesTokenCount: completion,
    totalTokenCount: reply.promptTokens + completion,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: reply.promptTokens }],
  };
}

function candidate(parts: object[], finishReason?: string) {
  return { content: { parts, role: 'model' }, ...(finishReason ? { finishReason } : {}), index: 0 };
}

function replyParts(reply: GeminiSimReply): object[] {
  if (reply.calls.length > 0) return reply.calls.map((call) => ({ functionCall: { name: call.name, args: call.args } }));
  return [{ text: reply.pieces.join('') }];
}

/** A `GenerateContentResponse`. */
export function generateContentBody(meta: ReplyMeta, reply: GeminiSimReply): object {
  return {
    candidates: [candidate(replyParts(reply), reply.finishReason)],
    usageMetadata: usageMetadata(reply, reply.completionTokens),
    modelVersion: meta.model,
    responseId: meta.responseId,
  };
}

/** The partial responses of a stream: one per word (function calls arrive whole), the last with the finish reason. */
export function streamChunks(meta: ReplyMeta, reply: GeminiSimReply): object[] {
  const chunk = (parts: object[], completion: number, finishReason?: string) => ({
    candidates: [candidate(parts, finishReason)],
    usageMetadata: usageMetadata(reply, completion),
    modelVersion: meta.model,
    responseId: meta.responseId,
  });
  if (reply.calls.length > 0 || reply.pieces.length === 0) return [chunk(replyParts(reply), reply.completionTokens, reply.finishReason)];
  return reply.pieces.map((piece, i) => {
    const lastPiece = i === reply.pieces.length - 1;
    return chunk([{ text: piece }], i + 1, lastPiece ? reply.finishReason : undefined);
  });
}

/** `alt=sse` framing as Google sends it: `data: <json>` and a CRLF blank line. */
export function sseEvents(chunks: object[]): string[] {
  return chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`);
}
