import { messagesValidationError, resolveAnthropicVersion, validateCountTokensRequest, validateMessagesRequest, type MessagesValidationOptions } from './validate-messages-request';
import type { AnthropicVersion } from './messages-request';

const V2023 = { version: '2023-06-01' as AnthropicVersion };
const V2026 = { version: '2026-10-21' as AnthropicVersion };
const base = { model: 'claude-sonnet-5-5', max_tokens: 256, messages: [{ role: 'user', content: 'Hello' }] };

function problems(body: unknown, options: MessagesValidationOptions = V2026): string[] {
  const result = validateMessagesRequest(body, options);
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

const toolTurn = [
  { role: 'user', content: 'Weather in Paris?' },
  { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } }] },
];

describe('validateMessagesRequest', () => {
  it('accepts a minimal request in both versions and hands it back typed', () => {
    for (const options of [V2023, V2026]) {
      const result = validateMessagesRequest(base, options);
      expect(result).toEqual({ ok: true, request: base });
    }
  });

  it('refuses a request without max_tokens as Anthropic does, in its error shape', () => {
    const { max_tokens: _omit, ...body } = base;
    expect(problems(body)).toEqual(['max_tokens: Field required']);
    const result = validateMessagesRequest(body, V2026);
    if (result.ok) throw new Error('expected a refusal');
    expect(messagesValidationError(result.problems)).toEqual({
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', code: 'validation_error', message: 'max_tokens: Field required' } },
    });
  });

  it('refuses a missing model, missing or empty messages, a bad max_tokens and a body that is not an object', () => {
    expect(problems({ ...base, model: undefined })).toEqual(['model: Field required']);
    expect(problems({ ...base, messages: [] })).toEqual(['messages: at least one message is required']);
    expect(problems({ model: 'm', max_tokens: 5 })).toEqual(['messages: Field required']);
    expect(problems({ ...base, max_tokens: 1.5 })).toEqual(['max_tokens: Input should be a valid integer']);
    expect(problems({ ...base, max_tokens: -1 })).toEqual(['max_tokens: Input should be greater than or equal to 0']);
    expect(problems([base])).toEqual(['body: Input should be a valid dictionary']);
  });

  it('refuses a tool_result whose tool_use_id no tool_use in the previous turn carries', () => {
    const body = { ...base, messages: [...toolTurn, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_9', content: '18°C' }] }] };
    expect(problems(body)).toEqual([
      'messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1. Each `tool_use` block must have a corresponding `tool_result` block in the next message.',
      'messages.2.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_9. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.',
    ]);
  });

  it('accepts a tool_result answering the previous turn, also when that turn is split over consecutive messages', () => {
    const answered = { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '18°C' }], is_error: false }] };
    expect(problems({ ...base, messages: [...toolTurn, answered] })).toEqual([]);
    const split = [toolTurn[0], { role: 'assistant', content: 'Let me look.' }, toolTurn[1], { role: 'assistant', content: 'Checking…' }, answered];
    expect(problems({ ...base, messages: split })).toEqual([]);
  });

  it('accepts consecutive turns of the same role (the API combines them) and a final assistant prefill', () => {
    const messages = [
      { role: 'user', content: 'one' },
      { role: 'user', content: [{ type: 'text', text: 'two' }] },
      { role: 'assistant', content: '' },
    ];
    expect(problems({ ...base, messages })).toEqual([]);
    expect(problems({ ...base, messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'The answer is ' }] })).toEqual([
      'messages.1: final assistant content cannot end with trailing whitespace',
    ]);
    expect(problems({ ...base, messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: [{ type: 'text', text: 'Sure:\n' }] }] })).toEqual([
      'messages.1: final assistant content cannot end with trailing whitespace',
    ]);
    expect(problems({ ...base, messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a ' }, { role: 'user', content: 'r' }] })).toEqual([]);
    expect(problems({ ...base, messages: [{ role: 'assistant', content: '' }, { role: 'user', content: 'x' }] })).toEqual([
      'messages.0: all messages must have non-empty content except for the optional final assistant message',
    ]);
  });

  it('refuses an unknown content block type naming the expected tags', () => {
    const [message] = problems({ ...base, messages: [{ role: 'user', content: [{ type: 'video', url: 'x' }] }] });
    expect(message).toMatch(/^messages\.0\.content\.0: Input tag 'video' found using 'type' does not match any of the expected tags: 'text', 'image', 'document'/);
  });

  it('checks the blocks it knows: empty text, image sources, tool_use fields, blocks in the wrong role', () => {
    const user = (content: unknown[]) => ({ ...base, messages: [{ role: 'user', content }] });
    expect(problems(user([{ type: 'text', text: '' }]))).toEqual(['messages.0.content.0: text content blocks must be non-empty']);
    expect(problems(user([{ type: 'text', text: ' \n' }]))).toEqual(['messages.0.content.0: text content blocks must contain non-whitespace text']);
    expect(problems(user([{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: 'AA==' } }]))).toEqual([
      "messages.0.content.0.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif', 'image/webp'",
    ]);
    expect(problems(user([{ type: 'image', source: { type: 'ftp', url: 'x' } }]))[0]).toMatch(/^messages\.0\.content\.0\.source: Input tag/);
    expect(problems(user([{ type: 'tool_use', id: 'a', name: 'b', input: {} }]))).toEqual(['messages.0.content.0: `tool_use` blocks can only be in `assistant` messages']);
    expect(problems({ ...base, messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'b', input: 'x' }] }] })).toEqual([
      'messages.1.content.0.input: Input should be a valid dictionary',
    ]);
    expect(problems({ ...base, messages: [{ role: 'moderator', content: 'x' }] })).toEqual(["messages.0.role: Input should be 'user', 'assistant' or 'system'"]);
  });

  it('refuses unknown top-level parameters, unless an anthropic-beta header may have added them', () => {
    expect(problems({ ...base, frequency_penalty: 1 })).toEqual(['frequency_penalty: Extra inputs are not permitted']);
    expect(problems({ ...base, mcp_servers: [] }, { ...V2026, betas: ['mcp-client-2025-11-20'] })).toEqual([]);
    expect(problems({ ...base, messages: [{ role: 'user', content: 'x', name: 'bob' }] })).toEqual(['messages.0.name: Extra inputs are not permitted']);
  });

  describe('2026-10-21', () => {
    it('refuses temperature, top_p and top_k, even at their defaults', () => {
      expect(problems({ ...base, temperature: 1 })).toEqual(['temperature: Extra inputs are not permitted']);
      expect(problems({ ...base, top_p: 0.99, top_k: 5 })).toEqual(['top_p: Extra inputs are not permitted', 'top_k: Extra inputs are not permitted']);
      expect(problems({ ...base, temperature: 1 }, { ...V2026, betas: ['some-beta'] })).toEqual(['temperature: Extra inputs are not permitted']);
    });

    it('refuses document blocks in assistant messages and citations on user text blocks', () => {
      const pdf = { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } };
      const messages = [{ role: 'user', content: 'q' }, { role: 'assistant', content: [pdf] }];
      expect(problems({ ...base, messages })).toEqual(['messages.1.content.0: `document` blocks are not accepted in `assistant` messages in API version 2026-10-21']);
      const cited = { type: 'text', text: 'as said', citations: [{ type: 'char_location', cited_text: 'x', document_index: 0, start_char_index: 0, end_char_index: 1 }] };
      expect(problems({ ...base, messages: [{ role: 'user', content: [cited] }] })).toEqual([
        'messages.0.content.0.citations: citations are not accepted on text blocks in `user` messages in API version 2026-10-21',
      ]);
    });
  });

  describe('2023-06-01', () => {
    it('accepts temperature, top_p and top_k within their ranges, and refuses them outside', () => {
      expect(problems({ ...base, temperature: 0.2, top_p: 0.9, top_k: 40 }, V2023)).toEqual([]);
      expect(problems({ ...base, temperature: 1.5 }, V2023)).toEqual(['temperature: Input should be a number between 0 and 1']);
      expect(problems({ ...base, top_k: 2.5 }, V2023)).toEqual(['top_k: Input should be an integer greater than or equal to 0']);
    });

    it('accepts documents in assistant messages and citations on user text blocks', () => {
      const pdf = { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } };
      const cited = { type: 'text', text: 'as said', citations: [{ type: 'char_location' }] };
      expect(problems({ ...base, messages: [{ role: 'user', content: [cited] }, { role: 'assistant', content: [pdf] }] }, V2023)).toEqual([]);
    });
  });

  describe('system messages inside messages (mid-conversation system messages)', () => {
    const after = (messages: unknown[], options: MessagesValidationOptions = V2026) => problems({ ...base, messages }, options);

    it('accepts one right after a user turn, last or followed by an assistant turn, in both versions', () => {
      for (const options of [V2023, V2026]) {
        expect(after([{ role: 'user', content: 'q' }, { role: 'system', content: 'Answer in French.' }], options)).toEqual([]);
        expect(after([{ role: 'user', content: 'q' }, { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] }, { role: 'assistant', content: 'ok' }], options)).toEqual([]);
      }
    });

    it('refuses one first, after an assistant turn, followed by a user turn, or holding non-text blocks', () => {
      expect(after([{ role: 'system', content: 'x' }, { role: 'user', content: 'q' }])).toEqual([
        'messages.0: a system message cannot be the first message; use the top-level `system` parameter',
      ]);
      expect(after([{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }, { role: 'system', content: 'x' }])).toEqual([
        'messages.2: a system message must immediately follow a user message',
      ]);
      expect(after([{ role: 'user', content: 'q' }, { role: 'system', content: 'x' }, { role: 'user', content: 'again' }])).toEqual([
        'messages.1: a system message must be the last message or be followed by an assistant message',
      ]);
      expect(after([{ role: 'user', content: 'q' }, { role: 'system', content: [{ type: 'image', source: {} }] }])[0]).toMatch(/^messages\.1\.content\.0: Input tag/);
    });
  });

  it('checks thinking, tools, tool_choice, metadata, stop_sequences, output_config and service_tier', () => {
    const tool = { name: 'weather', input_schema: { type: 'object', properties: {} } };
    expect(problems({ ...base, thinking: { type: 'enabled', budget_tokens: 512 } })).toEqual(['thinking.enabled.budget_tokens: Input should be greater than or equal to 1024']);
    expect(problems({ ...base, max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 4000 } })).toEqual(['max_tokens: `max_tokens` must be greater than `thinking.budget_tokens`']);
    expect(problems({ ...base, thinking: { type: 'adaptive' } })).toEqual([]);
    expect(problems({ ...base, tools: [tool, tool] })).toEqual(['tools: Tool names must be unique.']);
    expect(problems({ ...base, tools: [{ name: 'bad name', input_schema: { type: 'object' } }] })).toEqual(["tools.0.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'"]);
    expect(problems({ ...base, tools: [{ name: 'x', input_schema: { type: 'array' } }] })).toEqual(["tools.0.custom.input_schema.type: Input should be 'object'"]);
    expect(problems({ ...base, tools: [{ type: 'web_search_20250305', name: 'web_search' }] })).toEqual([]);
    expect(problems({ ...base, tools: [{ type: 'teleport_20990101', name: 't' }] })[0]).toMatch(/^tools\.0: Input tag 'teleport_20990101'/);
    expect(problems({ ...base, tools: [tool], tool_choice: { type: 'tool', name: 'other' } })).toEqual(["tool_choice.tool.name: Tool 'other' not found in `tools`"]);
    expect(problems({ ...base, tools: [tool], tool_choice: { type: 'any', disable_parallel_tool_use: true } })).toEqual([]);
    expect(problems({ ...base, tool_choice: { type: 'sometimes' } })[0]).toMatch(/^tool_choice: Input tag/);
    expect(problems({ ...base, metadata: { user_id: 'u-1', plan: 'pro' } })).toEqual(['metadata.plan: Extra inputs are not permitted']);
    expect(problems({ ...base, stop_sequences: ['END', 3] })).toEqual(['stop_sequences.1: Input should be a valid string']);
    expect(problems({ ...base, output_config: { effort: 'extreme' } })).toEqual(["output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh', 'max'"]);
    expect(problems({ ...base, output_config: { format: { type: 'json_schema', schema: { type: 'object' } } } })).toEqual([]);
    expect(problems({ ...base, service_tier: 'priority' })).toEqual(["service_tier: Input should be 'auto' or 'standard_only'"]);
    expect(problems({ ...base, stream: 'yes' })).toEqual(['stream: Input should be a valid boolean']);
    expect(problems({ ...base, drop_params: true })).toEqual([]);
  });
});

describe('validateCountTokensRequest', () => {
  it('takes no max_tokens and refuses the parameters count_tokens does not have', () => {
    const { max_tokens: _omit, ...body } = base;
    expect(validateCountTokensRequest(body, V2023)).toEqual({ ok: true, request: body });
    const refused = validateCountTokensRequest({ ...body, stream: true, temperature: 0.5 }, V2023);
    expect(refused.ok ? [] : refused.problems.map((p) => p.path)).toEqual(['stream', 'temperature']);
  });
});

describe('resolveAnthropicVersion', () => {
  it('knows both versions, reads a missing header as 2023-06-01 and refuses an unknown one', () => {
    expect(resolveAnthropicVersion('2026-10-21')).toEqual({ ok: true, version: '2026-10-21' });
    expect(resolveAnthropicVersion(' 2023-06-01 ')).toEqual({ ok: true, version: '2023-06-01' });
    expect(resolveAnthropicVersion(undefined)).toEqual({ ok: true, version: '2023-06-01' });
    expect(resolveAnthropicVersion('2024-01-01')).toMatchObject({
      ok: false,
      error: { status: 400, body: { type: 'error', error: { type: 'invalid_request_error', code: 'invalid_anthropic_version' } } },
    });
  });
});
