import { ChatRequest } from './chat-request';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ChatReply {
  /** Content split into words, each with the whitespace before it, so joining them gives the content. */
  pieces: string[];
  content: string;
  finishReason: 'stop' | 'length';
  usage: Usage;
}

const PER_MESSAGE_TOKENS = 3;

export function countWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

/** Deterministic: `[provider-sim <name>] <last user message>`, cut to maxTokens words. */
export function buildReply(simName: string, request: ChatRequest): ChatReply {
  let lastUser: string | undefined;
  for (let i = request.messages.length - 1; i >= 0 && lastUser === undefined; i--) {
    if (request.messages[i].role === 'user') lastUser = request.messages[i].text.trim();
  }
  const full = `[provider-sim ${simName}] ${lastUser || '(no user message)'}`;
  const allPieces = full.match(/\s*\S+/g) ?? [];
  const truncated = request.maxTokens !== undefined && allPieces.length > request.maxTokens;
  const pieces = truncated ? allPieces.slice(0, request.maxTokens) : allPieces;

  let promptTokens = 0;
  for (const message of request.messages) promptTokens += countWords(message.text) + PER_MESSAGE_TOKENS;
  const completionTokens = pieces.length;
  return {
    pieces,
    content: pieces.join(''),
    finishReason: truncated ? 'length' : 'stop',
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
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
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: reply.content, refusal: null },
        finish_reason: reply.finishReason,
        logprobs: null,
      },
    ],
    usage: reply.usage,
  };
}

/** Server-sent events in order: role, one per word, finish, optional usage, then [DONE]. */
export function chatCompletionChunkEvents(meta: CompletionMeta, reply: ChatReply, includeUsage: boolean): string[] {
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
