import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { SseDecoder } from '../../sse-decoder';
import { geminiChatStream } from './gemini-chat-stream';
import { GeminiApiError } from './gemini-errors';

const SETTINGS = { model: 'gemini-2.5-flash' };
const HEAD = { modelVersion: 'gemini-2.5-flash', responseId: 'r1', createTime: '2026-01-02T03:04:05Z' };

function sse(...events: object[]): string {
  // Gemini separates its events with CRLF pairs
  return events.map((event) => `data: ${JSON.stringify(event)}\r\n\r\n`).join('');
}

/** Runs a raw SSE text through the decoder and the translator, as the transport does. */
function translate(text: string): ChatCompletionChunk[] {
  const decoder = new SseDecoder();
  const translator = geminiChatStream(SETTINGS);
  const chunks = decoder.push(text).flatMap((event) => translator.push(event));
  return [...chunks, ...translator.end()];
}

function choices(chunks: ChatCompletionChunk[]) {
  return chunks.map((chunk) => (chunk.choices[0] ? { delta: chunk.choices[0].delta, finish_reason: chunk.choices[0].finish_reason } : { usage: chunk.usage }));
}

describe('geminiChatStream', () => {
  it('turns text events into a role chunk, content chunks, the finish reason and a final usage chunk', () => {
    const chunks = translate(
      sse(
        { ...HEAD, candidates: [{ content: { role: 'model', parts: [{ text: 'Hel' }] }, index: 0 }], usageMetadata: { promptTokenCount: 4, totalTokenCount: 4 } },
        { ...HEAD, candidates: [{ content: { role: 'model', parts: [{ text: 'lo' }] }, index: 0, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 2, totalTokenCount: 6 } },
      ),
    );
    expect(chunks.every((chunk) => chunk.id === 'chatcmpl-r1' && chunk.object === 'chat.completion.chunk' && chunk.model === 'gemini-2.5-flash')).toBe(true);
    expect(chunks[0].created).toBe(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000);
    expect(choices(chunks)).toEqual([
      { delta: { role: 'assistant', content: '' }, finish_reason: null },
      { delta: { content: 'Hel' }, finish_reason: null },
      { delta: { content: 'lo' }, finish_reason: null },
      { delta: {}, finish_reason: 'stop' },
      { usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 } },
    ]);
  });

  it('emits a whole function call (id, name, all arguments) in one chunk and finishes with tool_calls', () => {
    const chunks = translate(
      sse(
        { ...HEAD, candidates: [{ content: { role: 'model', parts: [{ text: 'Checking.' }] } }] },
        {
          ...HEAD,
          candidates: [
            {
              content: {
                role: 'model',
                parts: [
                  { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'sig' },
                  { functionCall: { name: 'get_time', args: {} } },
                ],
              },
              finishReason: 'STOP',
            },
          ],
          usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 5, totalTokenCount: 14 },
        },
      ),
    );
    expect(choices(chunks)).toEqual([
      { delta: { role: 'assistant', content: '' }, finish_reason: null },
      { delta: { content: 'Checking.' }, finish_reason: null },
      {
        delta: {
          tool_calls: [
            { index: 0, id: 'call_0__thought__sig', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { index: 1, id: 'call_1', type: 'function', function: { name: 'get_time', arguments: '{}' } },
          ],
        },
        finish_reason: null,
      },
      { delta: {}, finish_reason: 'tool_calls' },
      { usage: { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 } },
    ]);
  });

  it('numbers function calls that arrive in separate events on', () => {
    const chunks = translate(
      sse(
        { ...HEAD, candidates: [{ content: { parts: [{ functionCall: { name: 'a', args: {} } }] } }] },
        { ...HEAD, candidates: [{ content: { parts: [{ functionCall: { name: 'b', args: {} } }] }, finishReason: 'STOP' }] },
      ),
    );
    const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(calls.map((call) => [call.index, call.id, call.function?.name])).toEqual([
      [0, 'call_0', 'a'],
      [1, 'call_1', 'b'],
    ]);
  });

  it('streams thoughts as reasoning_content', () => {
    const chunks = translate(sse({ ...HEAD, candidates: [{ content: { parts: [{ text: 'Hmm', thought: true }, { text: 'Yes' }] }, finishReason: 'STOP' }] }));
    expect(choices(chunks).slice(1, 3)).toEqual([
      { delta: { reasoning_content: 'Hmm' }, finish_reason: null },
      { delta: { content: 'Yes' }, finish_reason: null },
    ]);
  });

  it('ends a blocked prompt with content_filter and no content', () => {
    const chunks = translate(sse({ ...HEAD, promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 3, totalTokenCount: 3 } }));
    expect(choices(chunks)).toEqual([
      { delta: { role: 'assistant', content: '' }, finish_reason: null },
      { delta: {}, finish_reason: 'content_filter' },
      { usage: { prompt_tokens: 3, completion_tokens: 0, total_tokens: 3 } },
    ]);
  });

  it('keeps candidates apart by index', () => {
    const chunks = translate(
      sse({
        ...HEAD,
        candidates: [
          { index: 0, content: { parts: [{ text: 'A' }] }, finishReason: 'STOP' },
          { index: 1, content: { parts: [{ text: 'B' }] }, finishReason: 'MAX_TOKENS' },
        ],
      }),
    );
    expect(chunks.map((chunk) => [chunk.choices[0]?.index, chunk.choices[0]?.delta.content, chunk.choices[0]?.finish_reason])).toEqual([
      [0, '', null],
      [0, 'A', null],
      [0, undefined, 'stop'],
      [1, '', null],
      [1, 'B', null],
      [1, undefined, 'length'],
    ]);
  });

  it('throws a GeminiApiError, classified like an HTTP answer, when the stream ends in an error event', () => {
    const decoder = new SseDecoder();
    const translator = geminiChatStream(SETTINGS);
    const events = decoder.push(
      sse(
        { ...HEAD, candidates: [{ content: { parts: [{ text: 'Par' }] } }] },
        { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } },
      ),
    );
    expect(translator.push(events[0]).map((chunk) => chunk.choices[0].delta.content)).toEqual(['', 'Par']);
    let thrown: unknown;
    try {
      translator.push(events[1]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GeminiApiError);
    expect(thrown).toMatchObject({ status: 503, type: 'upstream_error', code: 'unavailable', message: 'The model is overloaded. Please try again later.' });
  });

  it('throws on an event that is not JSON', () => {
    expect(() => geminiChatStream(SETTINGS).push({ data: '{"candidates":' })).toThrow('not JSON');
  });

  it('owes nothing at the end when nothing arrived', () => {
    expect(geminiChatStream(SETTINGS).end()).toEqual([]);
  });
});
