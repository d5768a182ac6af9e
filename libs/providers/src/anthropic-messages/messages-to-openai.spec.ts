import type { MessagesRequest } from './messages-request';
import { messagesToOpenAI, reasoningEffortForBudget } from './messages-to-openai';

const base: MessagesRequest = { model: 'gpt-5', max_tokens: 512, messages: [{ role: 'user', content: 'Hello' }] };

function translated(request: Partial<MessagesRequest> & Record<string, unknown>, options = {}) {
  const result = messagesToOpenAI({ ...base, ...request } as MessagesRequest, options);
  if (!result.ok) throw new Error(`refused: ${result.unsupported.join(', ')}`);
  return result;
}

function refused(request: Partial<MessagesRequest> & Record<string, unknown>, options = {}) {
  const result = messagesToOpenAI({ ...base, ...request } as MessagesRequest, options);
  if (result.ok) throw new Error('expected a refusal');
  return result;
}

describe('messagesToOpenAI', () => {
  it('maps model, max_tokens and a string message', () => {
    expect(translated({})).toEqual({ ok: true, dropped: [], request: { model: 'gpt-5', max_tokens: 512, messages: [{ role: 'user', content: 'Hello' }] } });
  });

  it('puts system (string or blocks) first as a system message, cache_control ignored', () => {
    expect(translated({ system: 'Be brief.' }).request.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    const blocks = translated({
      system: [
        { type: 'text', text: 'You are a pirate.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Answer in French.' },
      ],
    });
    expect(blocks.request.messages[0]).toEqual({ role: 'system', content: 'You are a pirate.\n\nAnswer in French.' });
  });

  it('keeps a mid-conversation system message where it stands', () => {
    const { request } = translated({
      messages: [
        { role: 'user', content: 'q' },
        { role: 'system', content: [{ type: 'text', text: 'Now answer in French.' }] },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: 'q' },
      { role: 'system', content: 'Now answer in French.' },
    ]);
  });

  it('turns text, image (base64 and url) and PDF document blocks into content parts', () => {
    const { request } = translated({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQ=' }, title: 'report.pdf' },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQ=' } },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Plain notes' }, title: 'Notes' },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0xLjQ=', filename: 'report.pdf' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0xLjQ=', filename: 'document.pdf' } },
          { type: 'text', text: 'Notes\n\nPlain notes' },
        ],
      },
    ]);
  });

  it('turns tool_use into assistant tool_calls and tool_result into tool messages before the rest of the user turn', () => {
    const { request } = translated({
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Two cities: two calls.', signature: 'sig' },
            { type: 'text', text: 'Checking both.' },
            { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'toolu_2', name: 'weather', input: { city: 'Rome' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: 'Service down' }], is_error: true },
            { type: 'text', text: 'Thanks!' },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: 'Checking both.',
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: '18°C' },
      { role: 'tool', tool_call_id: 'toolu_2', content: 'Error: Service down' },
      { role: 'user', content: 'Thanks!' },
    ]);
  });

  it('sends an assistant turn of tool calls only with content null, and images a tool returned in a user message after it', () => {
    const { request } = translated({
      messages: [
        { role: 'user', content: 'Screenshot please' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'screenshot', input: {} }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: [
                { type: 'text', text: 'Here it is' },
                { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
              ],
            },
          ],
        },
      ],
    });
    expect(request.messages.slice(1)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'screenshot', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'Here it is' },
      {
        role: 'user',
        content: [
          { type: 'text', text: '[attached to tool result toolu_1]' },
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
        ],
      },
    ]);
  });

  it('maps tools with input_schema and strict to function tools, and tool_choice with disable_parallel_tool_use', () => {
    const tools = [{ name: 'weather', description: 'Current weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] }, strict: true, cache_control: { type: 'ephemeral' as const } }];
    const fn = { type: 'function', function: { name: 'weather', description: 'Current weather', parameters: tools[0]!.input_schema, strict: true } };
    expect(translated({ tools }).request).toMatchObject({ tools: [fn] });
    expect(translated({ tools }).request).not.toHaveProperty('tool_choice');
    expect(translated({ tools, tool_choice: { type: 'auto' } }).request).toMatchObject({ tool_choice: 'auto' });
    expect(translated({ tools, tool_choice: { type: 'any', disable_parallel_tool_use: true } }).request).toMatchObject({ tool_choice: 'required', parallel_tool_calls: false });
    expect(translated({ tools, tool_choice: { type: 'tool', name: 'weather' } }).request).toMatchObject({ tool_choice: { type: 'function', function: { name: 'weather' } } });
    expect(translated({ tools, tool_choice: { type: 'none' } }).request).toMatchObject({ tool_choice: 'none' });
    expect(translated({ tool_choice: { type: 'auto' } }).request).not.toHaveProperty('tool_choice');
  });

  it('maps stop_sequences, temperature, top_p, metadata.user_id, service_tier, output_config.format and stream', () => {
    const { request } = translated({
      stop_sequences: ['END'],
      temperature: 0.3,
      top_p: 0.9,
      metadata: { user_id: 'user-42' },
      service_tier: 'standard_only',
      output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
      stream: true,
    });
    expect(request).toMatchObject({
      stop: ['END'],
      temperature: 0.3,
      top_p: 0.9,
      user: 'user-42',
      service_tier: 'default',
      response_format: { type: 'json_schema', json_schema: { name: 'response', schema: { type: 'object' }, strict: true } },
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('maps thinking budgets to reasoning_effort (< 4096 low, < 16384 medium, else high); output_config.effort wins', () => {
    expect([1024, 4095, 4096, 16383, 16384, 64000].map(reasoningEffortForBudget)).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high']);
    expect(translated({ max_tokens: 20000, thinking: { type: 'enabled', budget_tokens: 10000 } }).request).toMatchObject({ reasoning_effort: 'medium' });
    expect(translated({ thinking: { type: 'enabled', budget_tokens: 2000 }, output_config: { effort: 'xhigh' } }).request).toMatchObject({ reasoning_effort: 'xhigh' });
    expect(translated({ thinking: { type: 'adaptive' } }).request).not.toHaveProperty('reasoning_effort');
    expect(translated({ thinking: { type: 'disabled' } }).request).not.toHaveProperty('reasoning_effort');
  });

  it('refuses top_k by name in Anthropic’s error shape, or drops it with drop_params', () => {
    const result = refused({ top_k: 40 }, { provider: 'openai' });
    expect(result.unsupported).toEqual(['top_k']);
    expect(result.error).toEqual({
      status: 400,
      body: {
        type: 'error',
        error: {
          type: 'invalid_request_error',
          code: 'unsupported_parameter',
          message: 'openai speaks the OpenAI protocol and cannot serve `top_k` from a Messages request; send "drop_params": true to drop them',
        },
      },
    });
    const dropped = translated({ top_k: 40, drop_params: true }, { dropParams: true });
    expect(dropped.dropped).toEqual(['top_k']);
    expect(dropped.request).not.toHaveProperty('top_k');
    expect(dropped.request).not.toHaveProperty('drop_params');
  });

  it('refuses server tools, container, mcp_servers, speed fast and unknown beta fields by name', () => {
    const result = refused({
      tools: [{ type: 'web_search_20250305', name: 'web_search' }],
      container: 'container_1',
      mcp_servers: [{ type: 'url', url: 'https://mcp.example.com', name: 'x' }],
      speed: 'fast',
    } as Record<string, unknown>);
    expect(result.unsupported).toEqual(['speed', 'tools.0 (web_search_20250305)', 'container', 'mcp_servers']);
  });

  it('drops server tools with drop_params and keeps the function tools', () => {
    const tools = [
      { type: 'web_search_20250305' as const, name: 'web_search' as const },
      { name: 'weather', input_schema: { type: 'object' as const } },
    ];
    const result = translated({ tools, tool_choice: { type: 'auto' } }, { dropParams: true });
    expect(result.dropped).toEqual(['tools.0 (web_search_20250305)']);
    expect(result.request).toMatchObject({ tools: [{ type: 'function', function: { name: 'weather' } }], tool_choice: 'auto' });
  });

  it('refuses content it cannot carry even with drop_params: server tool blocks, file ids, search results, citations, document context', () => {
    const result = refused(
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'file', file_id: 'file_1' } },
              { type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } },
              { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' }, citations: { enabled: true }, context: 'ctx' },
              { type: 'search_result', source: 's', title: 't', content: [{ type: 'text', text: 'r' }] },
            ],
          },
          { role: 'assistant', content: [{ type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }] },
        ],
      },
      { dropParams: true },
    );
    expect(result.unsupported).toEqual([
      'messages.0.content.0.source (file)',
      'messages.0.content.1.source (url)',
      'messages.0.content.2.citations',
      'messages.0.content.2.context',
      'messages.0.content.3 (search_result)',
      'messages.1.content.0 (server_tool_use)',
    ]);
    expect(result.error.body.error.message).not.toMatch(/drop_params/);
  });

  it('refuses tool options that need Anthropic’s tool runtime', () => {
    const tool = { name: 'x', input_schema: { type: 'object' as const }, defer_loading: true, allowed_callers: ['code_execution_20250825' as const], input_examples: [{ a: 1 }] };
    expect(refused({ tools: [tool] }).unsupported).toEqual(['tools.0.defer_loading', 'tools.0.allowed_callers', 'tools.0.input_examples']);
    expect(translated({ tools: [{ ...tool, defer_loading: false, allowed_callers: ['direct'], input_examples: [] }] }).dropped).toEqual([]);
  });
});
