import Anthropic from '@anthropic-ai/sdk';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { messagesValidationError, resolveAnthropicVersion, validateCountTokensRequest, validateMessagesRequest } from './validate-messages-request';
import { countMessageTokens } from './count-message-tokens';
import { messagesToOpenAI } from './messages-to-openai';
import { openAIToMessage } from './openai-to-messages';
import { MessagesStreamTranslator, serializeMessagesEvent } from './messages-stream';
import { toAnthropicError } from './anthropic-errors';

/** The official client, talking to a function instead of the network: it sees exactly the bytes we would send. */
function clientAnswering(respond: (body: unknown, headers: Headers) => Response | Promise<Response>) {
  const sent: { body: unknown; headers: Headers }[] = [];
  const client = new Anthropic({
    apiKey: 'sk-test',
    baseURL: 'http://gateway.test/api',
    maxRetries: 0,
    fetch: async (_url: string | URL | Request, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as unknown;
      const headers = new Headers(init?.headers);
      sent.push({ body, headers });
      return respond(body, headers);
    },
  });
  return { client, sent };
}

/** SSE text as a byte stream cut into uneven pieces, as a network would deliver it. */
function sseResponse(text: string): Response {
  const bytes = new TextEncoder().encode(text);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 37) controller.enqueue(bytes.slice(i, i + 37));
      controller.close();
    },
  });
  return new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

const weatherSchema = { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] };

const params: MessageCreateParamsNonStreaming = {
  model: 'claude-sonnet-5-5',
  max_tokens: 1024,
  system: [{ type: 'text', text: 'You are a travel assistant.', cache_control: { type: 'ephemeral' } }],
  metadata: { user_id: 'user-42' },
  stop_sequences: ['###'],
  tools: [{ name: 'weather', description: 'Current weather for a city', input_schema: weatherSchema }],
  tool_choice: { type: 'auto', disable_parallel_tool_use: false },
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'Is it warm in Paris? Here is my photo.' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } }] },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01', name: 'weather', input: { city: 'Paris' } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: '24°C, sunny' }] },
  ],
};

/** What an OpenAI-protocol provider might answer to the translated request. */
const openAIAnswer: ChatCompletion = {
  id: 'chatcmpl-RT1',
  object: 'chat.completion',
  created: 1_764_000_000,
  model: 'gpt-5',
  choices: [
    {
      index: 0,
      finish_reason: 'tool_calls',
      logprobs: null,
      message: {
        role: 'assistant',
        content: 'Warm! Shall I check Rome too?',
        refusal: null,
        tool_calls: [{ id: 'call_rome', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } }],
      },
    },
  ],
  usage: { prompt_tokens: 300, completion_tokens: 25, total_tokens: 325, prompt_tokens_details: { cached_tokens: 100 } },
};

describe('round trip through the official @anthropic-ai/sdk', () => {
  it('Messages request → OpenAI → hand-built OpenAI answer → Messages answer the SDK returns unchanged', async () => {
    const { client, sent } = clientAnswering((body, headers) => {
      const version = resolveAnthropicVersion(headers.get('anthropic-version') ?? undefined);
      if (!version.ok) return Response.json(version.error.body, { status: version.error.status });
      const validated = validateMessagesRequest(body, { version: version.version });
      if (!validated.ok) {
        const error = messagesValidationError(validated.problems);
        return Response.json(error.body, { status: error.status });
      }
      const translated = messagesToOpenAI(validated.request);
      if (!translated.ok) return Response.json(translated.error.body, { status: translated.error.status });
      const upstream: ChatCompletionCreateParams = translated.request;
      expect(upstream).toEqual({
        model: 'claude-sonnet-5-5',
        max_tokens: 1024,
        stop: ['###'],
        user: 'user-42',
        tools: [{ type: 'function', function: { name: 'weather', description: 'Current weather for a city', parameters: weatherSchema } }],
        tool_choice: 'auto',
        messages: [
          { role: 'system', content: 'You are a travel assistant.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Is it warm in Paris? Here is my photo.' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            ],
          },
          { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_01', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
          { role: 'tool', tool_call_id: 'toolu_01', content: '24°C, sunny' },
        ],
      });
      const answer: Message = openAIToMessage(openAIAnswer, { model: validated.request.model, stopSequences: validated.request.stop_sequences });
      return Response.json(answer);
    });

    const message = await client.messages.create(params);
    expect(sent[0]!.headers.get('anthropic-version')).toBe('2026-10-21');
    expect(message).toMatchObject({
      id: 'msg_RT1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-5-5',
      content: [
        { type: 'text', text: 'Warm! Shall I check Rome too?', citations: null },
        { type: 'tool_use', id: 'call_rome', name: 'weather', input: { city: 'Rome' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 200, output_tokens: 25, cache_read_input_tokens: 100 },
    });
  });

  it('count_tokens: what the SDK sends validates, and our estimate comes back as its MessageTokensCount', async () => {
    const { client, sent } = clientAnswering(async (body) => {
      const validated = validateCountTokensRequest(body, { version: '2026-10-21' });
      if (!validated.ok) return Response.json(messagesValidationError(validated.problems).body, { status: 400 });
      return Response.json(await countMessageTokens(validated.request));
    });
    const { max_tokens: _omit, metadata: _metadata, stop_sequences: _stop, ...countParams } = params;
    const count = await client.messages.countTokens(countParams);
    expect(sent[0]!.body).toEqual(countParams);
    expect(count).toEqual({ input_tokens: expect.any(Number) });
    expect(count.input_tokens).toBeGreaterThan(30);
  });

  it('refusals reach the SDK as typed errors: a validation error and a mapped upstream status', async () => {
    const { client } = clientAnswering((body) => {
      const validated = validateMessagesRequest(body, { version: '2026-10-21' });
      const error = validated.ok ? toAnthropicError({ status: 529, code: 'upstream_error', message: 'Overloaded' }) : messagesValidationError(validated.problems);
      return Response.json(error.body, { status: error.status });
    });
    await expect(client.messages.create({ ...params, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: 'x' }] }] })).rejects.toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      apiMessage: expect.stringMatching(/^messages\.0\.content\.0: unexpected `tool_use_id`/),
    });
    await expect(client.messages.create(params)).rejects.toMatchObject({ status: 529, type: 'overloaded_error', apiMessage: 'Overloaded' });
  });

  it('the SDK’s stream parser reads our SSE into the final message: thinking, text and two tool calls', async () => {
    const deltas: Array<ChatCompletionChunk.Choice.Delta & { reasoning_content?: string }> = [
      { role: 'assistant', content: '' },
      { reasoning_content: 'Two cities, ' },
      { reasoning_content: 'two calls.' },
      { content: 'Checking ' },
      { content: 'both.' },
      { tool_calls: [{ index: 0, id: 'call_p', type: 'function' as const, function: { name: 'weather', arguments: '{"ci' } }] },
      { tool_calls: [{ index: 0, function: { arguments: 'ty":"Paris"}' } }] },
      { tool_calls: [{ index: 1, id: 'call_r', type: 'function' as const, function: { name: 'weather', arguments: '' } }] },
      { tool_calls: [{ index: 1, function: { arguments: '{"city":"Rome"}' } }] },
    ];
    const chunks: ChatCompletionChunk[] = deltas.map((delta) => ({ id: 'chatcmpl-ST', object: 'chat.completion.chunk' as const, created: 1, model: 'gpt-5', choices: [{ index: 0, delta, finish_reason: null, logprobs: null }] }));
    chunks.push({ id: 'chatcmpl-ST', object: 'chat.completion.chunk', created: 1, model: 'gpt-5', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls', logprobs: null }] });
    chunks.push({ id: 'chatcmpl-ST', object: 'chat.completion.chunk', created: 1, model: 'gpt-5', choices: [], usage: { prompt_tokens: 80, completion_tokens: 40, total_tokens: 120 } });

    const { client, sent } = clientAnswering(() => {
      const translator = new MessagesStreamTranslator({ model: 'claude-sonnet-5-5', estimatedInputTokens: 75 });
      const events = [...chunks.flatMap((c) => translator.push(c)), ...translator.end()];
      return sseResponse(events.map(serializeMessagesEvent).join(''));
    });
    const stream = client.messages.stream({ ...params, stream: undefined });
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    const message = await stream.finalMessage();

    expect(sent[0]!.body).toMatchObject({ stream: true });
    expect(texts).toEqual(['Checking ', 'both.']);
    expect(message).toMatchObject({
      id: 'msg_ST',
      model: 'claude-sonnet-5-5',
      content: [
        { type: 'thinking', thinking: 'Two cities, two calls.' },
        { type: 'text', text: 'Checking both.' },
        { type: 'tool_use', id: 'call_p', name: 'weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'call_r', name: 'weather', input: { city: 'Rome' } },
      ],
      stop_reason: 'tool_use',
      usage: { input_tokens: 80, output_tokens: 40 },
    });
  });

  it('the SDK’s stream parser turns our mid-stream error event into an APIError', async () => {
    const { client } = clientAnswering(() => {
      const translator = new MessagesStreamTranslator({ model: 'claude-sonnet-5-5' });
      const events = [
        ...translator.push({ id: 'chatcmpl-E', object: 'chat.completion.chunk', created: 1, model: 'gpt-5', choices: [{ index: 0, delta: { content: 'Partial' }, finish_reason: null, logprobs: null }] }),
        ...translator.error('overloaded_error', 'Upstream overloaded', 'upstream_error'),
      ];
      return sseResponse(events.map(serializeMessagesEvent).join(''));
    });
    await expect(client.messages.stream({ ...params, stream: undefined }).finalMessage()).rejects.toMatchObject({
      type: 'overloaded_error',
      apiMessage: 'Upstream overloaded',
    });
  });
});
