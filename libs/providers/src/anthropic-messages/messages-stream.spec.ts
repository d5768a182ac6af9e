import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { MessagesStreamTranslator, serializeMessagesEvent, type MessagesStreamEvent } from './messages-stream';
import { UNFILLED_MESSAGE_FIELDS, UNFILLED_USAGE_FIELDS } from './messages-shape.spec-helper';

type Delta = ChatCompletionChunk.Choice.Delta & { reasoning_content?: string };

function chunk(delta: Delta, finish_reason: ChatCompletionChunk.Choice['finish_reason'] = null): ChatCompletionChunk {
  return { id: 'chatcmpl-s1', object: 'chat.completion.chunk', created: 1, model: 'gpt-5', choices: [{ index: 0, delta, finish_reason, logprobs: null }] };
}

function usageChunk(prompt: number, completion: number, cached = 0): ChatCompletionChunk {
  return {
    id: 'chatcmpl-s1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-5',
    choices: [],
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: cached } },
  };
}

function run(chunks: ChatCompletionChunk[], options = {}): MessagesStreamEvent[] {
  const translator = new MessagesStreamTranslator({ model: 'claude-sonnet-5-5', ...options });
  return [...chunks.flatMap((c) => translator.push(c)), ...translator.end()];
}

/** The events without message_start's message, for reading the sequence. */
const outline = (events: MessagesStreamEvent[]) =>
  events.map((e) => {
    switch (e.type) {
      case 'content_block_start':
        return `start ${e.index} ${e.content_block.type}`;
      case 'content_block_delta':
        return `delta ${e.index} ${JSON.stringify(e.delta)}`;
      case 'content_block_stop':
        return `stop ${e.index}`;
      case 'message_delta':
        return `message_delta ${e.delta.stop_reason}`;
      default:
        return e.type;
    }
  });

describe('MessagesStreamTranslator', () => {
  it('streams text: message_start, ping, one text block, message_delta with stop reason and usage, message_stop', () => {
    const events = run([chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' }), chunk({ content: 'lo' }), chunk({}, 'stop'), usageChunk(12, 3)], {
      estimatedInputTokens: 10,
    });
    expect(events).toEqual([
      {
        type: 'message_start',
        message: {
          id: 'msg_s1',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-5-5',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          ...UNFILLED_MESSAGE_FIELDS,
          usage: { input_tokens: 10, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...UNFILLED_USAGE_FIELDS },
        },
      },
      { type: 'ping' },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '', citations: null } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null, stop_details: null, container: null },
        usage: { output_tokens: 3, input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens_details: null, server_tool_use: null },
      },
      { type: 'message_stop' },
    ]);
  });

  it('streams thinking then text as blocks 0 and 1', () => {
    const events = run([chunk({ reasoning_content: 'Let me ' }), chunk({ reasoning_content: 'think.' }), chunk({ content: 'Answer.' }), chunk({}, 'stop')]);
    expect(outline(events)).toEqual([
      'message_start',
      'ping',
      'start 0 thinking',
      'delta 0 {"type":"thinking_delta","thinking":"Let me "}',
      'delta 0 {"type":"thinking_delta","thinking":"think."}',
      'stop 0',
      'start 1 text',
      'delta 1 {"type":"text_delta","text":"Answer."}',
      'stop 1',
      'message_delta end_turn',
      'message_stop',
    ]);
  });

  it('streams two tool calls with arguments split across chunks as tool_use blocks with input_json_delta', () => {
    const events = run([
      chunk({ content: 'Checking.' }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'weather', arguments: '{"ci' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: 'ty":"Rome"}' } }] }),
      chunk({}, 'tool_calls'),
      usageChunk(50, 20),
    ]);
    expect(outline(events)).toEqual([
      'message_start',
      'ping',
      'start 0 text',
      'delta 0 {"type":"text_delta","text":"Checking."}',
      'stop 0',
      'start 1 tool_use',
      'delta 1 {"type":"input_json_delta","partial_json":"{\\"city\\":"}',
      'delta 1 {"type":"input_json_delta","partial_json":"\\"Paris\\"}"}',
      'stop 1',
      'start 2 tool_use',
      'delta 2 {"type":"input_json_delta","partial_json":"{\\"ci"}',
      'delta 2 {"type":"input_json_delta","partial_json":"ty\\":\\"Rome\\"}"}',
      'stop 2',
      'message_delta tool_use',
      'message_stop',
    ]);
    expect(events[5]).toEqual({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'call_a', name: 'weather', input: {}, caller: { type: 'direct' } } });
    expect(events[9]).toMatchObject({ content_block: { id: 'call_b', name: 'weather' } });
  });

  it('gives every switch between thinking, text and tool calls a new block with the next index', () => {
    const events = run([
      chunk({ reasoning_content: 'plan' }),
      chunk({ content: 'Calling.' }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'search', arguments: '{}' } }] }),
      chunk({ reasoning_content: 'result seen' }),
      chunk({ content: 'Done.' }),
      chunk({}, 'stop'),
    ]);
    expect(outline(events).filter((line) => line.startsWith('start') || line.startsWith('stop') || line.startsWith('message_delta'))).toEqual([
      'start 0 thinking',
      'stop 0',
      'start 1 text',
      'stop 1',
      'start 2 tool_use',
      'stop 2',
      'start 3 thinking',
      'stop 3',
      'start 4 text',
      'stop 4',
      'message_delta tool_use',
    ]);
  });

  it('tells tool calls apart by id when a provider leaves out the index, and answers tool_use when it said stop', () => {
    const noIndex = (call: Record<string, unknown>) => chunk({ tool_calls: [call as unknown as ChatCompletionChunk.Choice.Delta.ToolCall] });
    const events = run([
      noIndex({ id: 'call_a', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }),
      noIndex({ id: 'call_b', type: 'function', function: { name: 'weather', arguments: '{"city":' } }),
      noIndex({ function: { arguments: '"Rome"}' } }),
      chunk({}, 'stop'),
    ]);
    expect(outline(events)).toEqual([
      'message_start',
      'ping',
      'start 0 tool_use',
      'delta 0 {"type":"input_json_delta","partial_json":"{\\"city\\":\\"Paris\\"}"}',
      'stop 0',
      'start 1 tool_use',
      'delta 1 {"type":"input_json_delta","partial_json":"{\\"city\\":"}',
      'delta 1 {"type":"input_json_delta","partial_json":"\\"Rome\\"}"}',
      'stop 1',
      'message_delta tool_use',
      'message_stop',
    ]);
  });

  it('reports usage from the final usage chunk in message_delta, cached tokens apart; without usage input stays the estimate', () => {
    const withUsage = run([chunk({ content: 'x' }), chunk({}, 'length'), usageChunk(1000, 64, 900)], { estimatedInputTokens: 990 });
    expect(withUsage.at(-2)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'max_tokens', stop_sequence: null, stop_details: null, container: null },
      usage: { output_tokens: 64, input_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 900, output_tokens_details: null, server_tool_use: null },
    });
    const withoutUsage = run([chunk({ content: 'x' }, 'stop')]);
    expect(withoutUsage.at(-2)).toMatchObject({ usage: { output_tokens: 0, input_tokens: null, cache_read_input_tokens: null } });
  });

  it('names a stop sequence reported by the provider', () => {
    const events = run([chunk({ content: 'one' }), { ...chunk({}, 'stop'), choices: [{ index: 0, delta: {}, finish_reason: 'stop', logprobs: null, stop_reason: 'END' } as ChatCompletionChunk.Choice]}], {
      stopSequences: ['END'],
    });
    expect(events.at(-2)).toMatchObject({ delta: { stop_reason: 'stop_sequence', stop_sequence: 'END' } });
    const inText = run([chunk({ content: 'one E' }), chunk({ content: 'ND' }, 'stop')], { stopSequences: ['END', 'HALT'] });
    expect(inText.at(-2)).toMatchObject({ delta: { stop_reason: 'stop_sequence', stop_sequence: 'END' } });
  });

  it('streams an OpenAI refusal as text and stops with refusal', () => {
    const events = run([chunk({ refusal: 'I can’t ' }), chunk({ refusal: 'help.' }), chunk({}, 'stop')]);
    expect(outline(events)).toEqual([
      'message_start',
      'ping',
      'start 0 text',
      'delta 0 {"type":"text_delta","text":"I can’t "}',
      'delta 0 {"type":"text_delta","text":"help."}',
      'stop 0',
      'message_delta refusal',
      'message_stop',
    ]);
    expect(events.at(-2)).toMatchObject({ delta: { stop_details: { type: 'refusal', category: null, explanation: 'I can’t help.' } } });
  });

  it('turns an error mid-stream into an error event, after which nothing more is sent', () => {
    const translator = new MessagesStreamTranslator({ model: 'm' });
    const before = translator.push(chunk({ content: 'Partial' }));
    expect(outline(before)).toEqual(['message_start', 'ping', 'start 0 text', 'delta 0 {"type":"text_delta","text":"Partial"}']);
    expect(translator.error('overloaded_error', 'Upstream overloaded', 'upstream_error')).toEqual([
      { type: 'error', error: { type: 'overloaded_error', code: 'upstream_error', message: 'Upstream overloaded' } },
    ]);
    expect(translator.push(chunk({ content: 'more' }))).toEqual([]);
    expect(translator.end()).toEqual([]);
  });

  it('still sends a whole message when the upstream stream ended without a chunk', () => {
    expect(outline(run([]))).toEqual(['message_start', 'ping', 'message_delta end_turn', 'message_stop']);
  });

  it('serialises events as Anthropic writes them: event line, data line, blank line', () => {
    expect(serializeMessagesEvent({ type: 'ping' })).toBe('event: ping\ndata: {"type":"ping"}\n\n');
    expect(serializeMessagesEvent({ type: 'content_block_stop', index: 2 })).toBe('event: content_block_stop\ndata: {"type":"content_block_stop","index":2}\n\n');
  });
});
