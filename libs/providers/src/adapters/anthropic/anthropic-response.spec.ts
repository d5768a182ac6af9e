import { anthropicAdapter } from './index';
import { mapAnthropicResponse, mapStopReason, mapUsage } from './anthropic-response';

const SETTINGS = { model: 'claude-sonnet-5-5', apiKey: 'k' };
const NOW = () => 1_750_000_000_500;

function message(extra: Record<string, unknown>) {
  return {
    id: 'msg_01',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-5-5',
    content: [{ type: 'text', text: 'Hello!', citations: null }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: 6, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    ...extra,
  };
}

describe('anthropicAdapter.chatResponse', () => {
  it('maps a text message to a chat completion', () => {
    expect(mapAnthropicResponse(message({}), NOW)).toEqual({
      id: 'msg_01',
      object: 'chat.completion',
      created: 1_750_000_000,
      model: 'claude-sonnet-5-5',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!', refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18, prompt_tokens_details: { cached_tokens: 0 } },
    });
    expect(anthropicAdapter.chatResponse(message({}), SETTINGS).choices[0].message.content).toBe('Hello!');
  });

  it('joins text blocks and maps tool_use blocks to tool_calls with JSON arguments', () => {
    const completion = mapAnthropicResponse(
      message({
        content: [
          { type: 'text', text: 'Checking ' },
          { type: 'text', text: 'both.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' }, caller: { type: 'direct' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Rome' } },
        ],
        stop_reason: 'tool_use',
      }),
    );
    expect(completion.choices[0]).toMatchObject({
      finish_reason: 'tool_calls',
      message: {
        content: 'Checking both.',
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        ],
      },
    });
  });

  it('answers content null when the message only calls tools', () => {
    const completion = mapAnthropicResponse(message({ content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }], stop_reason: 'tool_use' }));
    expect(completion.choices[0].message.content).toBeNull();
  });

  it('returns thinking as reasoning_content, with the signed blocks to send back', () => {
    const completion = mapAnthropicResponse(
      message({
        content: [
          { type: 'thinking', thinking: 'Let me think.', signature: 'sig-1' },
          { type: 'redacted_thinking', data: 'opaque' },
          { type: 'text', text: '42' },
        ],
      }),
    );
    expect(completion.choices[0].message).toMatchObject({
      content: '42',
      reasoning_content: 'Let me think.',
      thinking_blocks: [
        { type: 'thinking', thinking: 'Let me think.', signature: 'sig-1' },
        { type: 'redacted_thinking', data: 'opaque' },
      ],
    });
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['tool_use', 'tool_calls'],
    ['max_tokens', 'length'],
    ['refusal', 'content_filter'],
    ['model_context_window_exceeded', 'length'],
    ['pause_turn', 'stop'],
    [null, 'stop'],
  ])('maps stop_reason %s to finish_reason %s', (reason, finish) => {
    expect(mapStopReason(reason)).toBe(finish);
  });

  it('counts cache reads and writes into prompt_tokens, reads as cached_tokens, thinking as reasoning_tokens', () => {
    expect(
      mapUsage({ input_tokens: 10, output_tokens: 30, cache_read_input_tokens: 100, cache_creation_input_tokens: 50, output_tokens_details: { thinking_tokens: 20 } }),
    ).toEqual({
      prompt_tokens: 160,
      completion_tokens: 30,
      total_tokens: 190,
      prompt_tokens_details: { cached_tokens: 100, cache_creation_tokens: 50 },
      completion_tokens_details: { reasoning_tokens: 20 },
    });
  });

  it('reads a usage with null cache fields (2026-10-21 sends null for unused ones)', () => {
    expect(mapUsage({ input_tokens: 3, output_tokens: 4, cache_read_input_tokens: null, cache_creation_input_tokens: null, output_tokens_details: null })).toEqual({
      prompt_tokens: 3,
      completion_tokens: 4,
      total_tokens: 7,
      prompt_tokens_details: { cached_tokens: 0 },
    });
  });
});
