import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { SseEvent } from '../../sse-decoder';
import { SseDecoder } from '../../sse-decoder';
import { classifyUpstreamError } from '../../classify-upstream-error';
import { anthropicAdapter } from './index';
import { AnthropicApiError } from './anthropic-errors';
import { AnthropicStreamError, AnthropicStreamTranslator } from './anthropic-stream';

const NOW = () => 1_750_000_000_000;

function ev(type: string, data: Record<string, unknown>): SseEvent {
  return { event: type, data: JSON.stringify({ type, ...data }) };
}

const START = ev('message_start', {
  message: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    content: [],
    model: 'claude-sonnet-5-5',
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 25, output_tokens: 1, cache_read_input_tokens: 5, cache_creation_input_tokens: 0 },
  },
});

function translate(events: SseEvent[]): ChatCompletionChunk[] {
  const translator = new AnthropicStreamTranslator(NOW);
  return [...events.flatMap((event) => translator.push(event)), ...translator.end()];
}

const deltas = (chunks: ChatCompletionChunk[]) => chunks.filter((c) => c.choices.length > 0).map((c) => c.choices[0].delta as Record<string, unknown>);

describe('AnthropicStreamTranslator', () => {
  it('translates a text stream: role chunk, text pieces, finish on the last choice chunk, then a usage chunk', () => {
    const chunks = translate([
      START,
      ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      ev('ping', {}),
      ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: ' world' } }),
      ev('content_block_stop', { index: 0 }),
      ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 15 } }),
      ev('message_stop', {}),
    ]);
    expect(chunks.every((c) => c.id === 'msg_1' && c.object === 'chat.completion.chunk' && c.model === 'claude-sonnet-5-5' && c.created === 1_750_000_000)).toBe(true);
    expect(deltas(chunks)).toEqual([{ role: 'assistant', content: '' }, { content: 'Hello' }, { content: ' world' }, {}]);
    const withChoices = chunks.filter((c) => c.choices.length > 0);
    expect(withChoices.map((c) => c.choices[0].finish_reason)).toEqual([null, null, null, 'stop']);
    expect(chunks[chunks.length - 1]).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 30, completion_tokens: 15, total_tokens: 45, prompt_tokens_details: { cached_tokens: 5 } },
    });
  });

  it('streams a tool call: a first chunk with index, id, type, name and empty arguments, then argument pieces split across events', () => {
    const chunks = translate([
      START,
      ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Let me check.' } }),
      ev('content_block_stop', { index: 0 }),
      ev('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} } }),
      ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '' } }),
      ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"ci' } }),
      ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: 'ty": "Par' } }),
      ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: 'is"}' } }),
      ev('content_block_stop', { index: 1 }),
      ev('content_block_start', { index: 2, content_block: { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: {} } }),
      ev('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '{}' } }),
      ev('content_block_stop', { index: 2 }),
      ev('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 40 } }),
      ev('message_stop', {}),
    ]);
    expect(deltas(chunks)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Let me check.' },
      { tool_calls: [{ index: 0, id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] },
      { tool_calls: [{ index: 0, function: { arguments: 'ty": "Par' } }] },
      { tool_calls: [{ index: 0, function: { arguments: 'is"}' } }] },
      { tool_calls: [{ index: 1, id: 'toolu_2', type: 'function', function: { name: 'get_time', arguments: '' } }] },
      { tool_calls: [{ index: 1, function: { arguments: '{}' } }] },
      {},
    ]);
    const finish = chunks.filter((c) => c.choices[0]?.finish_reason);
    expect(finish).toHaveLength(1);
    expect(finish[0].choices[0].finish_reason).toBe('tool_calls');
    const args = deltas(chunks)
      .flatMap((d) => (d.tool_calls as { index: number; function: { arguments: string } }[] | undefined) ?? [])
      .filter((call) => call.index === 0)
      .map((call) => call.function.arguments)
      .join('');
    expect(JSON.parse(args)).toEqual({ city: 'Paris' });
  });

  it('streams thinking as reasoning_content, and the signed block once its signature arrives', () => {
    const chunks = translate([
      START,
      ev('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'Let me ' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'think.' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: 'sig-1' } }),
      ev('content_block_stop', { index: 0 }),
      ev('content_block_start', { index: 1, content_block: { type: 'text', text: '' } }),
      ev('content_block_delta', { index: 1, delta: { type: 'text_delta', text: '42' } }),
      ev('content_block_stop', { index: 1 }),
      ev('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } }),
      ev('message_stop', {}),
    ]);
    expect(deltas(chunks).slice(1, 5)).toEqual([
      { reasoning_content: 'Let me ' },
      { reasoning_content: 'think.' },
      { thinking_blocks: [{ type: 'thinking', thinking: 'Let me think.', signature: 'sig-1' }] },
      { content: '42' },
    ]);
  });

  it.each([
    ['max_tokens', 'length'],
    ['stop_sequence', 'stop'],
    ['refusal', 'content_filter'],
  ])('maps stop_reason %s to finish_reason %s', (reason, finish) => {
    const chunks = translate([START, ev('message_delta', { delta: { stop_reason: reason } , usage: { output_tokens: 1 } }), ev('message_stop', {})]);
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0].finish_reason).toBe(finish);
  });

  it('throws an overloaded error event as a 529 the failover retries elsewhere', () => {
    const translator = new AnthropicStreamTranslator(NOW);
    translator.push(START);
    translator.push(ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
    let thrown: unknown;
    try {
      translator.push(ev('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AnthropicApiError);
    expect(thrown).toMatchObject({ status: 529, code: 'overloaded', message: 'Overloaded' });
    expect(classifyUpstreamError(thrown)).toMatchObject({ kind: 'retryable', status: 529, message: 'Overloaded', code: 'overloaded' });
  });

  it('throws an invalid_request error event as a 400 that is the client’s', () => {
    const translator = new AnthropicStreamTranslator(NOW);
    expect(() => translator.push(ev('error', { error: { type: 'invalid_request_error', message: 'bad' } }))).toThrow(AnthropicApiError);
    try {
      translator.push(ev('error', { error: { type: 'invalid_request_error', message: 'bad' } }));
    } catch (error) {
      expect(classifyUpstreamError(error)).toMatchObject({ kind: 'client_error', status: 400 });
    }
  });

  it('fails a stream that ends before its message is complete, or breaks the protocol', () => {
    const cut = new AnthropicStreamTranslator(NOW);
    cut.push(START);
    cut.push(ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
    expect(() => cut.end()).toThrow(AnthropicStreamError);
    expect(() => new AnthropicStreamTranslator(NOW).push({ event: 'message_start', data: '{not json' })).toThrow(AnthropicStreamError);
    expect(() => new AnthropicStreamTranslator(NOW).push(ev('content_block_start', { index: 0, content_block: { type: 'text' } }))).toThrow(AnthropicStreamError);
  });

  it('emits the usage chunk at end() when message_stop never came after message_delta', () => {
    const translator = new AnthropicStreamTranslator(NOW);
    translator.push(START);
    translator.push(ev('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 2 } }));
    expect(translator.end()).toEqual([expect.objectContaining({ choices: [], usage: expect.objectContaining({ completion_tokens: 2 }) })]);
    expect(translator.end()).toEqual([]);
  });

  it('skips unknown event types and blocks it does not translate', () => {
    const chunks = translate([
      START,
      ev('content_block_start', { index: 0, content_block: { type: 'server_tool_use', id: 's', name: 'web_search', input: {} } }),
      ev('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: '{"q":1}' } }),
      ev('content_block_stop', { index: 0 }),
      ev('some_future_event', {}),
      ev('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 1 } }),
      ev('message_stop', {}),
    ]);
    expect(deltas(chunks)).toEqual([{ role: 'assistant', content: '' }, {}]);
  });

  it('works on events decoded from raw SSE text as Anthropic sends it, through anthropicAdapter.chatStream', () => {
    const raw = [
      'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_2","type":"message","role":"assistant","content":[],"model":"m","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}\n\n',
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
      'event: ping\ndata: {"type": "ping"}\n\n',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}\n\n',
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}\n\n',
      'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    ].join('');
    const decoder = new SseDecoder();
    const translator = anthropicAdapter.chatStream({ model: 'm', apiKey: 'k' });
    const chunks: ChatCompletionChunk[] = [];
    for (let i = 0; i < raw.length; i += 17) for (const event of decoder.push(raw.slice(i, i + 17))) chunks.push(...translator.push(event));
    chunks.push(...translator.end());
    expect(deltas(chunks).map((d) => d.content ?? '').join('')).toBe('Hi');
    expect(chunks[chunks.length - 1].usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 2 });
  });
});
