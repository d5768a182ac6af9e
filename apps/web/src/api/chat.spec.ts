import { ApiClient } from './client';
import { applyChunk, type StreamedReply, streamChat } from './chat';

const EMPTY: StreamedReply = { content: '', model: null, finishReason: null, usage: null };
const chunk = (content: string | null, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ object: 'chat.completion.chunk', model: 'sim-small', choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: null }], ...extra });

function sseResponse(frames: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const frame of frames) controller.enqueue(encoder.encode(frame));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

const clientAnswering = (response: () => Response) => {
  const sent: unknown[] = [];
  const client = new ApiClient({ load: () => ({ kind: 'apiKey', key: 'ish_k' }), save: () => undefined }, {
    fetch: async (_url, init) => {
      sent.push(JSON.parse(String(init?.body)));
      return response();
    },
  });
  return { client, sent };
};

describe('applyChunk', () => {
  it('appends deltas and keeps model, finish reason and usage', () => {
    let reply = applyChunk(EMPTY, chunk('Hel'));
    reply = applyChunk(reply, chunk('lo'));
    reply = applyChunk(reply, JSON.stringify({ model: 'sim-small', choices: [{ delta: {}, finish_reason: 'stop' }] }));
    reply = applyChunk(reply, JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }));
    expect(reply).toEqual({ content: 'Hello', model: 'sim-small', finishReason: 'stop', usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } });
  });

  it('throws the message of an error chunk', () => {
    expect(() => applyChunk(EMPTY, JSON.stringify({ error: { message: 'upstream failed' } }))).toThrow('upstream failed');
  });
});

describe('streamChat', () => {
  it('asks for a stream with usage and reports the reply as it grows', async () => {
    const { client, sent } = clientAnswering(() => sseResponse([`data: ${chunk('a')}\n\n`, `data: ${chunk('b')}\n\ndata: ${chunk(null)}\n\n`, 'data: [DONE]\n\n']));
    const seen: string[] = [];
    const reply = await streamChat(client, { model: 'auto', messages: [{ role: 'user', content: 'hi' }] }, (r) => seen.push(r.content));
    expect(reply.content).toBe('ab');
    expect(seen).toEqual(['a', 'ab', 'ab']);
    expect(sent).toEqual([{ model: 'auto', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } }]);
  });

  it('fails when the stream stops before [DONE]', async () => {
    const { client } = clientAnswering(() => sseResponse([`data: ${chunk('a')}\n\n`]));
    await expect(streamChat(client, { model: 'auto', messages: [] }, () => undefined)).rejects.toThrow(/before the reply was complete/);
  });

  it('throws the API error of a refused request', async () => {
    const { client } = clientAnswering(() => new Response(JSON.stringify({ error: { type: 'invalid_request_error', code: 'model_not_found', message: 'No such model' } }), { status: 404 }));
    await expect(streamChat(client, { model: 'nope', messages: [] }, () => undefined)).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });
});
