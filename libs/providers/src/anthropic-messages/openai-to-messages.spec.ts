import type { ChatCompletion } from 'openai/resources/chat/completions';
import { messageId, openAIToMessage, parseToolInput } from './openai-to-messages';
import { UNFILLED_MESSAGE_FIELDS, UNFILLED_USAGE_FIELDS } from './messages-shape.spec-helper';

function completion(message: Record<string, unknown>, finish_reason: string, extra: Record<string, unknown> = {}): ChatCompletion {
  return {
    id: 'chatcmpl-AbC123',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-5-2026-08-01',
    choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: null, ...message }, finish_reason, logprobs: null, ...extra }],
    usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 },
  } as ChatCompletion;
}

describe('openAIToMessage', () => {
  it('answers a text completion as a Messages answer', () => {
    expect(openAIToMessage(completion({ content: 'Hello!' }, 'stop'), { model: 'claude-sonnet-5-5' })).toEqual({
      id: 'msg_AbC123',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-5-5',
      content: [{ type: 'text', text: 'Hello!', citations: null }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      ...UNFILLED_MESSAGE_FIELDS,
      usage: { input_tokens: 120, output_tokens: 30, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...UNFILLED_USAGE_FIELDS },
    });
  });

  it('puts reasoning_content first as a thinking block, then text, then tool_use blocks with parsed input', () => {
    const answer = openAIToMessage(
      completion(
        {
          reasoning_content: 'The user wants the weather.',
          content: 'Let me check.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'time', arguments: '' } },
          ],
        },
        'tool_calls',
      ),
    );
    expect(answer.content).toEqual([
      { type: 'thinking', thinking: 'The user wants the weather.', signature: '' },
      { type: 'text', text: 'Let me check.', citations: null },
      { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' }, caller: { type: 'direct' } },
      { type: 'tool_use', id: 'call_2', name: 'time', input: {}, caller: { type: 'direct' } },
    ]);
    expect(answer.stop_reason).toBe('tool_use');
    expect(answer.model).toBe('gpt-5-2026-08-01');
  });

  it('reads `reasoning` too, and leaves content empty when the model said nothing', () => {
    expect(openAIToMessage(completion({ reasoning: 'hmm', content: '' }, 'stop')).content).toEqual([{ type: 'thinking', thinking: 'hmm', signature: '' }]);
    expect(openAIToMessage(completion({ content: null }, 'stop')).content).toEqual([]);
  });

  it('maps finish reasons: length → max_tokens, content_filter → refusal', () => {
    expect(openAIToMessage(completion({ content: 'cut' }, 'length')).stop_reason).toBe('max_tokens');
    const filtered = openAIToMessage(completion({ content: '' }, 'content_filter'));
    expect([filtered.stop_reason, filtered.stop_details]).toEqual(['refusal', { type: 'refusal', category: null, explanation: null }]);
  });

  it('answers tool calls with stop_reason tool_use even when the provider said stop', () => {
    const call = { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{}' } };
    expect(openAIToMessage(completion({ content: null, tool_calls: [call] }, 'stop')).stop_reason).toBe('tool_use');
  });

  it('answers an OpenAI refusal as text with stop_reason refusal', () => {
    const answer = openAIToMessage(completion({ refusal: 'I can’t help with that.' }, 'stop'));
    expect(answer.content).toEqual([{ type: 'text', text: 'I can’t help with that.', citations: null }]);
    expect([answer.stop_reason, answer.stop_details]).toEqual(['refusal', { type: 'refusal', category: null, explanation: 'I can’t help with that.' }]);
  });

  it('names the stop sequence that stopped the answer when the provider says so or left it in the text', () => {
    const vllm = openAIToMessage(completion({ content: 'one two' }, 'stop', { stop_reason: 'END' }), { stopSequences: ['STOP', 'END'] });
    expect([vllm.stop_reason, vllm.stop_sequence]).toEqual(['stop_sequence', 'END']);
    const sglang = openAIToMessage(completion({ content: 'one two' }, 'stop', { matched_stop: 'STOP' }), { stopSequences: ['STOP'] });
    expect([sglang.stop_reason, sglang.stop_sequence]).toEqual(['stop_sequence', 'STOP']);
    const kept = openAIToMessage(completion({ content: 'one two STOP' }, 'stop'), { stopSequences: ['STOP'] });
    expect([kept.stop_reason, kept.stop_sequence]).toEqual(['stop_sequence', 'STOP']);
    const natural = openAIToMessage(completion({ content: 'one two' }, 'stop', { stop_reason: 'END' }));
    expect([natural.stop_reason, natural.stop_sequence]).toEqual(['end_turn', null]);
  });

  it('counts cached prompt tokens as cache_read_input_tokens, apart from input_tokens, and reasoning tokens as thinking tokens', () => {
    const answer = openAIToMessage({
      ...completion({ content: 'ok' }, 'stop'),
      service_tier: 'priority',
      usage: {
        prompt_tokens: 1000,
        completion_tokens: 50,
        total_tokens: 1050,
        prompt_tokens_details: { cached_tokens: 800 },
        completion_tokens_details: { reasoning_tokens: 20 },
      },
    });
    expect(answer.usage).toMatchObject({
      input_tokens: 200,
      cache_read_input_tokens: 800,
      output_tokens: 50,
      output_tokens_details: { thinking_tokens: 20 },
      service_tier: 'priority',
    });
  });
});

describe('messageId / parseToolInput', () => {
  it('derives msg_ ids from the upstream id, or makes one up', () => {
    expect(messageId('chatcmpl-9x_Y-z')).toBe('msg_9xYz');
    expect(messageId('')).toMatch(/^msg_[a-z0-9]{8,}$/);
  });

  it('parses arguments as JSON, an empty string as {}, and keeps text that is not JSON', () => {
    expect(parseToolInput('{"a":[1]}')).toEqual({ a: [1] });
    expect(parseToolInput('  ')).toEqual({});
    expect(parseToolInput('{"a":')).toBe('{"a":');
  });
});
