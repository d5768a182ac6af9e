import type { AdapterSettings, OpenAIChatRequest } from '../adapter-types';
import { UnsupportedParameterError } from '../unsupported-parameter';
import { anthropicAdapter } from './index';
import { supportsStructuredOutputs } from './anthropic-request';

const CURRENT: AdapterSettings = { model: 'claude-sonnet-5-5', apiKey: 'sk-ant-test' };
const LEGACY: AdapterSettings = { ...CURRENT, anthropicVersion: '2023-06-01' };

function request(extra: Partial<OpenAIChatRequest> & Record<string, unknown> = {}): OpenAIChatRequest {
  return { model: 'ignored-alias', messages: [{ role: 'user', content: 'Hi' }], ...extra } as OpenAIChatRequest;
}

function body(req: OpenAIChatRequest, settings: AdapterSettings = CURRENT): Record<string, unknown> {
  return anthropicAdapter.chatRequest(req, settings).call.body as Record<string, unknown>;
}

function refusal(fn: () => unknown): UnsupportedParameterError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UnsupportedParameterError) return error;
    throw error;
  }
  throw new Error('expected an UnsupportedParameterError');
}

describe('anthropicAdapter.chatRequest — the call', () => {
  it('posts to /v1/messages with the 2026-10-21 headers: Bearer key and the version', () => {
    const { call, dropped } = anthropicAdapter.chatRequest(request(), CURRENT);
    expect(call).toMatchObject({ method: 'POST', path: '/v1/messages' });
    expect(call.headers).toEqual({ authorization: 'Bearer sk-ant-test', 'anthropic-version': '2026-10-21' });
    expect(call.stream).toBeUndefined();
    expect(dropped).toEqual([]);
  });

  it('sends x-api-key on 2023-06-01 and passes anthropic-beta through', () => {
    const { call } = anthropicAdapter.chatRequest(request(), { ...LEGACY, anthropicBeta: 'files-api-2025-04-14' });
    expect(call.headers).toEqual({ 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'files-api-2025-04-14' });
  });

  it('asks for the instance model, not the alias the client named', () => {
    expect(body(request())).toMatchObject({ model: 'claude-sonnet-5-5' });
  });

  it('streams when asked: stream in the body and an SSE call', () => {
    const { call } = anthropicAdapter.chatRequest(request({ stream: true, stream_options: { include_usage: true } }), CURRENT);
    expect(call.stream).toBe(true);
    expect(call.body).toMatchObject({ stream: true });
    expect(call.body).not.toHaveProperty('stream_options');
  });
});

describe('anthropicAdapter.chatRequest — max_tokens', () => {
  it('is required by Anthropic: the instance default when the request names none', () => {
    expect(body(request(), { ...CURRENT, defaultMaxTokens: 1000 })).toMatchObject({ max_tokens: 1000 });
    expect(body(request())).toMatchObject({ max_tokens: 4096 });
  });

  it('takes max_completion_tokens over max_tokens', () => {
    expect(body(request({ max_tokens: 50 }))).toMatchObject({ max_tokens: 50 });
    expect(body(request({ max_tokens: 50, max_completion_tokens: 70 }))).toMatchObject({ max_tokens: 70 });
  });
});

describe('anthropicAdapter.chatRequest — messages', () => {
  it('hoists leading system and developer messages to system, in order', () => {
    const b = body(
      request({
        messages: [
          { role: 'system', content: 'Be terse.' },
          { role: 'developer', content: [{ type: 'text', text: 'Answer in English.' }] },
          { role: 'user', content: 'Hi' },
        ],
      }),
    );
    expect(b.system).toEqual([
      { type: 'text', text: 'Be terse.' },
      { type: 'text', text: 'Answer in English.' },
    ]);
    expect(b.messages).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it('sends one plain system message as a string', () => {
    expect(body(request({ messages: [{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'Hi' }] })).system).toBe('Be terse.');
  });

  it('keeps a later system message in place on 2026-10-21 where Anthropic allows it (after a user turn, last)', () => {
    const messages = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
      { role: 'user', content: 'Now review' },
      { role: 'system', content: 'Focus on performance.' },
    ];
    expect(body(request({ messages } as never))).toMatchObject({
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
        { role: 'user', content: 'Now review' },
        { role: 'system', content: 'Focus on performance.' },
      ],
    });
    expect(body(request({ messages } as never))).not.toHaveProperty('system');
  });

  it('joins consecutive later system messages into one in place', () => {
    const b = body(
      request({
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'system', content: 'One.' },
          { role: 'developer', content: 'Two.' },
          { role: 'assistant', content: 'Ok' },
        ],
      }),
    );
    expect(b.messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'system', content: [{ type: 'text', text: 'One.' }, { type: 'text', text: 'Two.' }] },
      { role: 'assistant', content: 'Ok' },
    ]);
  });

  it('hoists every system message on 2023-06-01, which has no system role in messages', () => {
    const b = body(
      request({
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'system', content: 'Focus.' },
        ],
      }),
      LEGACY,
    );
    expect(b.system).toBe('Focus.');
    expect(b.messages).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it('hoists a later system message that sits where Anthropic refuses one, and merges the user turns around it', () => {
    const b = body(
      request({
        messages: [
          { role: 'user', content: 'one' },
          { role: 'system', content: 'Focus.' },
          { role: 'user', content: 'two' },
        ],
      }),
    );
    expect(b.system).toBe('Focus.');
    expect(b.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'one' },
          { type: 'text', text: 'two' },
        ],
      },
    ]);
  });

  it('merges consecutive messages of one role into one turn', () => {
    const b = body(
      request({
        messages: [
          { role: 'user', content: 'a' },
          { role: 'user', content: 'b' },
          { role: 'assistant', content: 'c' },
          { role: 'assistant', content: 'd' },
        ],
      }),
    );
    expect(b.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'c' }, { type: 'text', text: 'd' }] },
    ]);
  });

  it('turns assistant tool_calls into tool_use blocks and tool messages into tool_result blocks of one user turn', () => {
    const b = body(
      request({
        messages: [
          { role: 'user', content: 'Weather in Paris and Rome?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
              { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '18C' },
          { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '24C' }] },
          { role: 'user', content: 'Thanks' },
        ],
      }),
    );
    expect(b.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get_weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '18C' },
          { type: 'tool_result', tool_use_id: 'call_2', content: '24C' },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ]);
  });

  it('keeps assistant text before its tool_use blocks and sends thinking blocks back first', () => {
    const b = body(
      request({
        messages: [
          { role: 'user', content: 'Go' },
          {
            role: 'assistant',
            content: 'Let me look.',
            thinking_blocks: [{ type: 'thinking', thinking: 'I should call it', signature: 'sig' }],
            reasoning_content: 'I should call it',
            tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'look', arguments: '' } }],
          },
        ],
      } as never),
    );
    expect((b.messages as unknown[])[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'I should call it', signature: 'sig' },
        { type: 'text', text: 'Let me look.' },
        { type: 'tool_use', id: 'toolu_1', name: 'look', input: {} },
      ],
    });
  });

  it('refuses tool call arguments that are not a JSON object, even with drop_params', () => {
    const req = request({
      messages: [
        { role: 'user', content: 'Go' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1' } }] },
      ],
    });
    expect(refusal(() => body(req, { ...CURRENT, dropParams: true })).param).toBe('messages.1.tool_calls.0.function.arguments');
  });

  it('maps image_url: a data URL to a base64 source, an http URL to a url source; cache_control passes through', () => {
    const b = body(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?', cache_control: { type: 'ephemeral' } },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' } },
              { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
            ],
          },
        ],
      } as never),
    );
    expect(b.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?', cache_control: { type: 'ephemeral' } },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
        ],
      },
    ]);
  });

  it('refuses an image Anthropic cannot read (a BMP data URL) naming the part', () => {
    const req = request({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/bmp;base64,Qk0=' } }] }] });
    expect(refusal(() => body(req)).param).toBe('messages.0.content.0.image_url');
  });

  it('maps a PDF file part to a document block; a text file to a text document', () => {
    const text = Buffer.from('hello doc').toString('base64');
    const b = body(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
              { type: 'file', file: { file_data: `data:text/plain;base64,${text}` } },
            ],
          },
        ],
      }),
    );
    expect((b.messages as { content: unknown }[])[0].content).toEqual([
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' }, title: 'a.pdf' },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'hello doc' } },
    ]);
  });

  it('refuses audio parts naming the part, and drops them with drop_params', () => {
    const req = request({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Listen' },
            { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
          ],
        },
      ],
    });
    const error = refusal(() => body(req));
    expect(error.param).toBe('messages.0.content.1.input_audio');
    expect(error.provider).toBe('Anthropic');
    const { call, dropped } = anthropicAdapter.chatRequest(req, { ...CURRENT, dropParams: true });
    expect(dropped).toEqual(['messages.0.content.1.input_audio']);
    expect((call.body as { messages: unknown }).messages).toEqual([{ role: 'user', content: 'Listen' }]);
  });
});

describe('anthropicAdapter.chatRequest — tools', () => {
  const tools = [
    { type: 'function', function: { name: 'get_weather', description: 'Weather now', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: true } },
    { type: 'function', function: { name: 'ping' } },
  ];

  it('maps function tools to name, description, input_schema and strict', () => {
    expect(body(request({ tools } as never)).tools).toEqual([
      { name: 'get_weather', description: 'Weather now', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: true },
      { name: 'ping', input_schema: { type: 'object', properties: {} } },
    ]);
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['none', { type: 'none' }],
    ['required', { type: 'any' }],
    [{ type: 'function', function: { name: 'ping' } }, { type: 'tool', name: 'ping' }],
  ])('maps tool_choice %j', (choice, expected) => {
    expect(body(request({ tools, tool_choice: choice } as never)).tool_choice).toEqual(expected);
  });

  it('maps parallel_tool_calls:false to disable_parallel_tool_use, with auto when no choice is named', () => {
    expect(body(request({ tools, parallel_tool_calls: false } as never)).tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(body(request({ tools, parallel_tool_calls: false, tool_choice: 'required' } as never)).tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
    expect(body(request({ tools, parallel_tool_calls: true } as never))).not.toHaveProperty('tool_choice');
  });

  it('refuses custom tools and an allowed_tools choice', () => {
    expect(refusal(() => body(request({ tools: [{ type: 'custom', custom: { name: 'x' } }] } as never))).param).toBe('tools.0');
    expect(refusal(() => body(request({ tools, tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [] } } } as never))).param).toBe('tool_choice');
  });
});

describe('anthropicAdapter.chatRequest — parameters', () => {
  it('maps stop to stop_sequences', () => {
    expect(body(request({ stop: 'END' }))).toMatchObject({ stop_sequences: ['END'] });
    expect(body(request({ stop: ['a', 'b'] }))).toMatchObject({ stop_sequences: ['a', 'b'] });
  });

  it('maps user (or safety_identifier) to metadata.user_id', () => {
    expect(body(request({ user: 'u-1' }))).toMatchObject({ metadata: { user_id: 'u-1' } });
    expect(body(request({ safety_identifier: 'hash-2' }))).toMatchObject({ metadata: { user_id: 'hash-2' } });
  });

  it('2026-10-21 removed temperature and top_p: refused, or dropped and listed with drop_params', () => {
    expect(refusal(() => body(request({ temperature: 0.2 }))).param).toBe('temperature');
    expect(refusal(() => body(request({ top_p: 0.9 }))).param).toBe('top_p');
    const { call, dropped } = anthropicAdapter.chatRequest(request({ temperature: 0.2, top_p: 0.9 }), { ...CURRENT, dropParams: true });
    expect(dropped).toEqual(['temperature', 'top_p']);
    expect(call.body).not.toHaveProperty('temperature');
    expect(call.body).not.toHaveProperty('top_p');
  });

  it('2023-06-01 takes temperature 0–1 and top_p; a temperature above 1 is refused', () => {
    expect(body(request({ temperature: 0.2, top_p: 0.9 }), LEGACY)).toMatchObject({ temperature: 0.2, top_p: 0.9 });
    expect(refusal(() => body(request({ temperature: 1.5 }), LEGACY)).param).toBe('temperature');
  });

  it.each([
    ['n', 2],
    ['logprobs', true],
    ['top_logprobs', 3],
    ['logit_bias', { '50256': -100 }],
    ['presence_penalty', 0.5],
    ['frequency_penalty', 0.5],
    ['seed', 7],
    ['audio', { voice: 'alloy', format: 'mp3' }],
    ['modalities', ['text', 'audio']],
    ['prediction', { type: 'content', content: 'x' }],
    ['web_search_options', {}],
    ['store', true],
    ['metadata', { a: 'b' }],
    ['verbosity', 'low'],
    ['functions', [{ name: 'f' }]],
  ])('refuses %s naming it, and drops it with drop_params', (param, value) => {
    expect(refusal(() => body(request({ [param]: value })))).toMatchObject({ param, provider: 'Anthropic' });
    const { call, dropped } = anthropicAdapter.chatRequest(request({ [param]: value }), { ...CURRENT, dropParams: true });
    expect(dropped).toEqual([param]);
    expect(call.body).not.toHaveProperty(param);
  });

  it("accepts OpenAI's default values of parameters it cannot take, and sends none of them", () => {
    const b = body(request({ n: 1, logprobs: false, presence_penalty: 0, frequency_penalty: 0, logit_bias: {}, store: false, modalities: ['text'], prompt_cache_key: 'k' }));
    for (const param of ['n', 'logprobs', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'store', 'modalities', 'prompt_cache_key']) expect(b).not.toHaveProperty(param);
  });

  it('forwards Anthropic-native parameters unchanged and never our drop_params', () => {
    const b = body(request({ top_k: 5, container: 'c-1', drop_params: true } as never), LEGACY);
    expect(b).toMatchObject({ top_k: 5, container: 'c-1' });
    expect(b).not.toHaveProperty('drop_params');
  });

  it('maps service_tier auto and default', () => {
    expect(body(request({ service_tier: 'auto' }))).toMatchObject({ service_tier: 'auto' });
    expect(body(request({ service_tier: 'default' }))).toMatchObject({ service_tier: 'standard_only' });
    expect(refusal(() => body(request({ service_tier: 'flex' }))).param).toBe('service_tier');
  });
});

describe('anthropicAdapter.chatRequest — response_format and reasoning_effort', () => {
  const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false };

  it('maps a json_schema response format to output_config.format', () => {
    expect(body(request({ response_format: { type: 'json_schema', json_schema: { name: 'a', schema } } }))).toMatchObject({
      output_config: { format: { type: 'json_schema', schema } },
    });
    expect(body(request({ response_format: { type: 'text' } }))).not.toHaveProperty('output_config');
  });

  it('refuses json_schema on models without structured outputs and json_object everywhere', () => {
    const old = { ...LEGACY, model: 'claude-3-5-haiku-20241022' };
    expect(refusal(() => body(request({ response_format: { type: 'json_schema', json_schema: { name: 'a', schema } } }), old)).param).toBe('response_format');
    expect(refusal(() => body(request({ response_format: { type: 'json_object' } }))).param).toBe('response_format');
    expect(anthropicAdapter.chatRequest(request({ response_format: { type: 'json_object' } }), { ...CURRENT, dropParams: true }).dropped).toEqual(['response_format']);
  });

  it.each([
    ['claude-3-7-sonnet-20250219', false],
    ['claude-sonnet-4-20250514', false],
    ['claude-opus-4-1', false],
    ['claude-sonnet-4-5', true],
    ['claude-haiku-4-5-20251001', true],
    ['claude-opus-5-5', true],
    ['some-future-model', true],
  ])('knows whether %s has structured outputs (%s)', (model, expected) => {
    expect(supportsStructuredOutputs(model)).toBe(expected);
  });

  it('maps reasoning_effort to a thinking budget, raising the default max_tokens by it', () => {
    expect(body(request({ reasoning_effort: 'medium' }))).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 8192 }, max_tokens: 4096 + 8192 });
    expect(body(request({ reasoning_effort: 'low', max_tokens: 10_000 }))).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 2048 }, max_tokens: 10_000 });
  });

  it('keeps the budget below the requested max_tokens and refuses thinking that cannot fit', () => {
    expect(body(request({ reasoning_effort: 'high', max_completion_tokens: 3000 }))).toMatchObject({ thinking: { budget_tokens: 2999 }, max_tokens: 3000 });
    expect(body(request({ reasoning_effort: 'max', max_completion_tokens: 64000 }))).toMatchObject({ thinking: { budget_tokens: 32000 }, max_tokens: 64000 });
    expect(refusal(() => body(request({ reasoning_effort: 'high', max_tokens: 500 }))).param).toBe('reasoning_effort');
  });

  it('refuses thinking while tool_choice forces a tool, and drops the thinking with drop_params', () => {
    const tools = [{ type: 'function', function: { name: 'f' } }];
    const req = request({ reasoning_effort: 'low', tools, tool_choice: 'required' } as never);
    expect(refusal(() => body(req)).param).toBe('reasoning_effort');
    const { call, dropped } = anthropicAdapter.chatRequest(req, { ...CURRENT, dropParams: true });
    expect(dropped).toEqual(['reasoning_effort']);
    expect(call.body).toMatchObject({ tool_choice: { type: 'any' }, max_tokens: 4096 });
    expect(call.body).not.toHaveProperty('thinking');
  });

  it('on 2023-06-01 refuses a temperature other than 1 and a top_p below 0.95 while thinking', () => {
    expect(refusal(() => body(request({ reasoning_effort: 'low', temperature: 0.2 }), LEGACY)).param).toBe('temperature');
    expect(refusal(() => body(request({ reasoning_effort: 'low', top_p: 0.5 }), LEGACY)).param).toBe('top_p');
    expect(body(request({ reasoning_effort: 'low', temperature: 1, top_p: 0.97 }), LEGACY)).toMatchObject({ temperature: 1, top_p: 0.97, thinking: { type: 'enabled' } });
    const { call, dropped } = anthropicAdapter.chatRequest(request({ reasoning_effort: 'low', temperature: 0.2 }), { ...LEGACY, dropParams: true });
    expect(dropped).toEqual(['temperature']);
    expect(call.body).not.toHaveProperty('temperature');
  });

  it('turns thinking off for reasoning_effort none, and leaves an explicit thinking alone', () => {
    expect(body(request({ reasoning_effort: 'none' }))).toMatchObject({ thinking: { type: 'disabled' } });
    expect(body(request({ reasoning_effort: 'high', thinking: { type: 'adaptive' } } as never))).toMatchObject({ thinking: { type: 'adaptive' }, max_tokens: 4096 });
  });
});
