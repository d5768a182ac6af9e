import type { ApiClient } from './client';
import { readSse } from './sse';

export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface StreamedReply {
  content: string;
  model: string | null;
  finishReason: string | null;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

interface CompletionChunk {
  model?: string;
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: StreamedReply['usage'];
  error?: { message?: string; type?: string; code?: string };
}

/** Folds one `chat.completion.chunk` into the reply so far; an error chunk throws. */
export function applyChunk(reply: StreamedReply, data: string): StreamedReply {
  const chunk = JSON.parse(data) as CompletionChunk;
  if (chunk.error) throw new Error(chunk.error.message ?? 'The stream ended with an error');
  const choice = chunk.choices?.[0];
  return {
    content: reply.content + (choice?.delta?.content ?? ''),
    model: chunk.model ?? reply.model,
    finishReason: choice?.finish_reason ?? reply.finishReason,
    usage: chunk.usage ?? reply.usage,
  };
}

/**
 * `POST /api/v1/chat/completions` with `stream: true`, read with fetch (EventSource cannot send the
 * Authorization header). `onUpdate` sees the reply grow chunk by chunk; resolves at `data: [DONE]`.
 */
export async function streamChat(
  client: ApiClient,
  request: { model: string; messages: ChatTurn[]; temperature?: number },
  onUpdate: (reply: StreamedReply) => void,
  signal?: AbortSignal,
): Promise<StreamedReply> {
  const response = await client.send('POST', '/chat/completions', {
    body: { ...request, stream: true, stream_options: { include_usage: true } },
    headers: { accept: 'text/event-stream' },
    signal,
  });
  if (!response.body) throw new Error('The reply has no body to stream');
  let reply: StreamedReply = { content: '', model: null, finishReason: null, usage: null };
  let done = false;
  await readSse(response.body, (event) => {
    if (event.data === '[DONE]') {
      done = true;
      return 'stop';
    }
    reply = applyChunk(reply, event.data);
    onUpdate(reply);
    return undefined;
  });
  if (!done) throw new Error('The stream ended before the reply was complete');
  return reply;
}
