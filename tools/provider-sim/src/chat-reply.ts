import { ChatRequest, OfferedTool } from './chat-request';
import { argumentsFromSchema } from './gemini/schema-arguments';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** A function call of the reply; its id is made when the answer is written (it names the completion). */
export interface SimToolCall {
  name: string;
  /** JSON text */
  arguments: string;
}

export interface ChatReply {
  /** Content split into words, each with the whitespace before it, so joining them gives the content. */
  pieces: string[];
  content: string;
  finishReason: 'stop' | 'length' | 'tool_calls';
  usage: Usage;
  /** present when the reply calls tools (then content is empty) */
  toolCalls?: SimToolCall[];
  /** alternatives per token when logprobs were asked for */
  logprobs?: { top: number };
  /** choices (OpenAI's `n`), each the same reply */
  n: number;
}

const PER_MESSAGE_TOKENS = 3;

export function countWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

/** The tools this reply calls (README "Tools"): the forced one, else the first, or the first two when asked in parallel. */
function toolCallsFor(request: ChatRequest, tools: OfferedTool[], userText: string): SimToolCall[] {
  const call = (tool: OfferedTool): SimToolCall => ({ name: tool.name, arguments: JSON.stringify(argumentsFromSchema(tool.parameters, userText)) });
  const forced = typeof request.toolChoice === 'object' ? tools.find((tool) => tool.name === (request.toolChoice as { name: string }).name) : undefined;
  if (forced) return [call(forced)];
  const parallel = /\bparallel\b/i.test(userText) && request.parallelToolCalls !== false && tools.length >= 2;
  return parallel ? [call(tools[0]), call(tools[1])] : [call(tools[0])];
}

/**
 * Deterministic: a tool call when tools are offered, the choice is not none and the user spoke last;
 * `[provider-sim <name>] tool result: <text>` after a tool result; else `[provider-sim <name>] <last
 * user message>`, cut to maxTokens words.
 */
export function buildReply(simName: string, request: ChatRequest): ChatReply {
  let lastUser: string | undefined;
  for (let i = request.messages.length - 1; i >= 0 && lastUser === undefined; i--) {
    if (request.messages[i].role === 'user') lastUser = request.messages[i].text.trim();
  }
  let promptTokens = 0;
  for (const message of request.messages) promptTokens += countWords(message.text) + PER_MESSAGE_TOKENS;
  const last = request.messages[request.messages.length - 1];
  const common = { n: request.n ?? 1, ...(request.logprobs ? { logprobs: request.logprobs } : {}) };

  if (request.tools?.length && request.toolChoice !== 'none' && last?.role === 'user') {
    const toolCalls = toolCallsFor(request, request.tools, lastUser ?? '');
    const completionTokens = toolCalls.reduce((sum, call) => sum + countWords(call.arguments), 0);
    return {
      ...common,
      pieces: [],
      content: '',
      toolCalls,
      finishReason: 'tool_calls',
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    };
  }
  const full = last?.role === 'tool' ? `[provider-sim ${simName}] tool result: ${last.text}` : `[provider-sim ${simName}] ${lastUser || '(no user message)'}`;
  const allPieces = full.match(/\s*\S+/g) ?? [];
  const truncated = request.maxTokens !== undefined && allPieces.length > request.maxTokens;
  const pieces = truncated ? allPieces.slice(0, request.maxTokens) : allPieces;
  const completionTokens = pieces.length;
  return {
    ...common,
    pieces,
    content: pieces.join(''),
    finishReason: truncated ? 'length' : 'stop',
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens * common.n, total_tokens: promptTokens + completionTokens * common.n },
  };
}

/** A tool call's id: unique per completion, choice and call. */
function toolCallId(meta: CompletionMeta, choice: number, index: number): string {
  return `call_${meta.id.replace(/[^A-Za-z0-9]/g, '')}_${choice}_${index}`;
}

/** OpenAI's logprobs of one token: the token itself first among its alternatives. */
function tokenLogprob(token: string, top: number) {
  const bytes = (text: string) => [...Buffer.from(text, 'utf8')];
  const alternatives = Array.from({ length: top }, (_, i) => (i === 0 ? token : `${token.trim()}~${i}`));
  return { token, logprob: 0, bytes: bytes(token), top_logprobs: alternatives.map((alt, i) => ({ token: alt, logprob: -i, bytes: bytes(alt) })) };
}

function choiceLogprobs(reply: ChatReply, pieces: string[]) {
  return reply.logprobs ? { content: pieces.map((piece) => tokenLogprob(piece, reply.logprobs!.top)), refusal: null } : null;
}

export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
}

const SYSTEM_FINGERPRINT = 'provider-sim';

export function chatCompletionBody(meta: CompletionMeta, reply: ChatReply): object {
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: Array.from({ length: reply.n }, (_, index) => ({
      index,
      message: reply.toolCalls
        ? {
            role: 'assistant',
            content: null,
            refusal: null,
            tool_calls: reply.toolCalls.map((call, i) => ({ id: toolCallId(meta, index, i), type: 'function', function: { name: call.name, arguments: call.arguments } })),
          }
        : { role: 'assistant', content: reply.content, refusal: null },
      finish_reason: reply.finishReason,
      logprobs: reply.toolCalls ? null : choiceLogprobs(reply, reply.pieces),
    })),
    usage: reply.usage,
  };
}

/** Pieces of a tool call's JSON arguments as streamed: about 8 characters each, so a client must join them. */
export function argumentPieces(json: string): string[] {
  return json.match(/[\s\S]{1,8}/g) ?? [''];
}

/**
 * Server-sent events in order: role, one per word (per choice), finish, optional usage, then [DONE].
 * Tool calls stream as OpenAI does: index, id, type and name first, then the arguments in pieces.
 */
export function chatCompletionChunkEvents(meta: CompletionMeta, reply: ChatReply, includeUsage: boolean): string[] {
  if (reply.toolCalls || reply.n > 1 || reply.logprobs) return generalChunkEvents(meta, reply, includeUsage);
  const base = { id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, system_fingerprint: SYSTEM_FINGERPRINT };
  // Built from two precomputed halves: a long reply would otherwise cost one full JSON.stringify per word.
  const head = `data: ${JSON.stringify(base).slice(0, -1)},"choices":[{"index":0,"delta":`;
  // With include_usage OpenAI sends usage: null on every chunk but the last.
  const tail = (finishReason: string | null) =>
    `,"logprobs":null,"finish_reason":${JSON.stringify(finishReason)}}]${includeUsage ? ',"usage":null' : ''}}\n\n`;
  const openTail = tail(null);

  const events = [`${head}{"role":"assistant","content":"","refusal":null}${openTail}`];
  for (const piece of reply.pieces) events.push(`${head}{"content":${JSON.stringify(piece)}}${openTail}`);
  events.push(`${head}{}${tail(reply.finishReason)}`);
  if (includeUsage) events.push(`data: ${JSON.stringify({ ...base, choices: [], usage: reply.usage })}\n\n`);
  events.push('data: [DONE]\n\n');
  return events;
}

/** Chunks of tool calls, several choices or logprobs: less common, so built one object at a time. */
function generalChunkEvents(meta: CompletionMeta, reply: ChatReply, includeUsage: boolean): string[] {
  const base = { id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, system_fingerprint: SYSTEM_FINGERPRINT };
  const event = (choices: object[], usage?: Usage) => `data: ${JSON.stringify({ ...base, choices, ...(includeUsage ? { usage: usage ?? null } : {}) })}\n\n`;
  const events: string[] = [];
  for (let index = 0; index < reply.n; index++) {
    const choice = (delta: object, finishReason: string | null = null, logprobs: object | null = null) => ({ index, delta, logprobs, finish_reason: finishReason });
    events.push(event([choice({ role: 'assistant', content: reply.toolCalls ? null : '', refusal: null })]));
    if (reply.toolCalls) {
      reply.toolCalls.forEach((call, i) => {
        events.push(event([choice({ tool_calls: [{ index: i, id: toolCallId(meta, index, i), type: 'function', function: { name: call.name, arguments: '' } }] })]));
        for (const piece of argumentPieces(call.arguments)) events.push(event([choice({ tool_calls: [{ index: i, function: { arguments: piece } }] })]));
      });
    } else {
      for (const piece of reply.pieces) events.push(event([choice({ content: piece }, null, choiceLogprobs(reply, [piece]))]));
    }
    events.push(event([choice({}, reply.finishReason)]));
  }
  if (includeUsage) events.push(`data: ${JSON.stringify({ ...base, choices: [], usage: reply.usage })}\n\n`);
  events.push('data: [DONE]\n\n');
  return events;
}
