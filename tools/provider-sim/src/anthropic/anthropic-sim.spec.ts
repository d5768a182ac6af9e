import Anthropic, { APIError, AuthenticationError, BadRequestError, NotFoundError, RateLimitError } from '@anthropic-ai/sdk';
import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import type { ProviderSim } from '../index';
import { caught, simForSuite } from '../sim-suite.spec-helper';

const KEY = 'sk-ant-sim';
const USER_TEXT = 'Tell me about   the simulator';
const MODEL = 'claude-sonnet-5-5';
const WEATHER: Tool = {
  name: 'get_weather',
  description: 'Weather now',
  input_schema: {
    type: 'object',
    properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] }, days: { type: 'integer' }, detailed: { type: 'boolean' } },
    required: ['city', 'unit', 'days', 'detailed'],
  },
};
const TIME: Tool = { name: 'get_time', input_schema: { type: 'object', properties: { zone: { type: 'object', properties: { name: { type: 'string' }, dst: { type: 'boolean' } } }, tags: { type: 'array' } } } };

describe('provider-sim --protocol anthropic with the official @anthropic-ai/sdk', () => {
  let sim: ProviderSim;
  let client: Anthropic;

  simForSuite({ name: 'sim-a', protocol: 'anthropic', apiKey: KEY }, (started) => {
    sim = started;
    client = new Anthropic({ baseURL: sim.url, apiKey: KEY, maxRetries: 0, timeout: 5_000 });
  });

  async function raw(path: string, init: { method?: string; headers?: Record<string, string | null>; body?: unknown } = {}) {
    const headers = Object.entries({ 'content-type': 'application/json', 'x-api-key': KEY, 'anthropic-version': '2026-10-21', ...init.headers }).filter(
      (entry): entry is [string, string] => entry[1] !== null,
    );
    const response = await fetch(`${sim.url}${path}`, {
      method: init.method ?? 'POST',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  it('creates a message: the SDK sends Bearer and 2026-10-21, the answer is Anthropic’s Message', async () => {
    const { data, response } = await client.messages
      .create({ model: MODEL, max_tokens: 100, system: 'You are terse.', messages: [{ role: 'user', content: USER_TEXT }] })
      .withResponse();
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    expect(response.headers.get('x-provider-sim')).toBe('sim-a');
    expect(data).toMatchObject({ type: 'message', role: 'assistant', model: MODEL, stop_reason: 'end_turn', stop_sequence: null });
    expect(data.id).toMatch(/^msg_/);
    expect(data.content).toEqual([{ type: 'text', text: `[provider-sim sim-a] ${USER_TEXT}`, citations: null }]);
    // 3 + 5 words, 3 tokens per message (the system prompt is one); 7 words of reply
    expect(data.usage).toMatchObject({ input_tokens: 14, output_tokens: 7 });
    const [recorded] = sim.requests();
    expect(recorded).toMatchObject({ method: 'POST', url: '/v1/messages' });
    expect(recorded.headers).toMatchObject({ authorization: 'Bearer [redacted]', 'anthropic-version': '2026-10-21' });
    expect(JSON.parse(recorded.body)).toEqual({ model: MODEL, max_tokens: 100, system: 'You are terse.', messages: [{ role: 'user', content: USER_TEXT }] });
  });

  it('cuts the reply at a stop sequence or at max_tokens words', async () => {
    const stopped = await client.messages.create({ model: MODEL, max_tokens: 100, stop_sequences: ['about'], messages: [{ role: 'user', content: USER_TEXT }] });
    expect(stopped).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'about', content: [{ text: '[provider-sim sim-a] Tell me ' }] });
    const cut = await client.messages.create({ model: MODEL, max_tokens: 3, messages: [{ role: 'user', content: USER_TEXT }] });
    expect(cut).toMatchObject({ stop_reason: 'max_tokens', content: [{ text: '[provider-sim sim-a] Tell' }], usage: { output_tokens: 3 } });
  });

  it('streams the same message, finalMessage() included, and counts it as streamed', async () => {
    const whole = await client.messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: USER_TEXT }] });
    const stream = client.messages.stream({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: USER_TEXT }] });
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    const final = await stream.finalMessage();
    expect(texts.length).toBeGreaterThan(3);
    expect(texts.join('')).toBe((whole.content[0] as Anthropic.TextBlock).text);
    expect(final.content).toEqual([expect.objectContaining({ type: 'text', text: texts.join('') })]);
    expect(final).toMatchObject({ stop_reason: 'end_turn', usage: { input_tokens: whole.usage.input_tokens, output_tokens: whole.usage.output_tokens } });
    expect(sim.stats()).toMatchObject({ chatCompletions: 2, streamed: 1 });
  });

  it('sends the whole event sequence on the wire: message_start, ping, blocks, message_delta, message_stop', async () => {
    const { status, headers, text } = await raw('/v1/messages', { body: { model: MODEL, max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi there' }] } });
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('text/event-stream');
    const events = [...text.matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    expect(events).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      ...Array(4).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(text).toContain('data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":4}}');
  });

  it('thinks before it answers when thinking is enabled, plain and streamed', async () => {
    const params = { model: MODEL, max_tokens: 2000, thinking: { type: 'enabled' as const, budget_tokens: 1024 }, messages: [{ role: 'user' as const, content: 'Why?' }] };
    const message = await client.messages.create(params);
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text']);
    expect(message.content[0]).toMatchObject({ type: 'thinking', thinking: '[provider-sim sim-a] thinking about: Why?', signature: expect.any(String) });
    const thoughts: string[] = [];
    const stream = client.messages.stream(params);
    stream.on('thinking', (delta) => thoughts.push(delta));
    const final = await stream.finalMessage();
    expect(thoughts.join('')).toBe('[provider-sim sim-a] thinking about: Why?');
    expect(final.content).toEqual([
      expect.objectContaining({ type: 'thinking', thinking: '[provider-sim sim-a] thinking about: Why?', signature: (message.content[0] as Anthropic.ThinkingBlock).signature }),
      expect.objectContaining({ type: 'text', text: '[provider-sim sim-a] Why?' }),
    ]);
  });

  it('round-trips a tool call: tool_use with arguments from the schema, then the text of the tool_result', async () => {
    const first = await client.messages.create({ model: MODEL, max_tokens: 200, tools: [WEATHER, TIME], messages: [{ role: 'user', content: 'Weather in Paris?' }] });
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content).toEqual([
      { type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: 'get_weather', input: { city: 'Weather in Paris?', unit: 'celsius', days: 1, detailed: true }, caller: { type: 'direct' } },
    ]);
    expect(first.usage.output_tokens).toBe(JSON.stringify((first.content[0] as Anthropic.ToolUseBlock).input).match(/\S+/g)!.length);
    const toolUse = first.content[0] as Anthropic.ToolUseBlock;
    const second = await client.messages.create({
      model: MODEL,
      max_tokens: 200,
      tools: [WEATHER, TIME],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '18C and sunny' }] },
      ],
    });
    expect(second).toMatchObject({ stop_reason: 'end_turn', content: [{ type: 'text', text: '[provider-sim sim-a] tool result: 18C and sunny' }] });
  });

  it('streams a tool call whose input arrives in input_json_delta pieces that finalMessage() parses', async () => {
    const stream = client.messages.stream({ model: MODEL, max_tokens: 200, tools: [WEATHER], messages: [{ role: 'user', content: 'Weather in Rome?' }] });
    const pieces: string[] = [];
    stream.on('inputJson', (partial) => pieces.push(partial));
    const final = await stream.finalMessage();
    expect(pieces.length).toBeGreaterThan(3);
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content[0]).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Weather in Rome?', unit: 'celsius', days: 1, detailed: true } });
  });

  it('calls a forced tool, the first two when asked for parallel calls, and no tool for tool_choice none', async () => {
    const base = { model: MODEL, max_tokens: 200, tools: [WEATHER, TIME] };
    const forced = await client.messages.create({ ...base, tool_choice: { type: 'tool', name: 'get_time' }, messages: [{ role: 'user', content: 'now' }] });
    expect(forced.content).toEqual([expect.objectContaining({ name: 'get_time', input: { zone: { name: 'now', dst: true }, tags: [] } })]);
    const parallel = await client.messages.create({ ...base, messages: [{ role: 'user', content: 'run these in parallel please' }] });
    expect(parallel.content.map((block) => (block as Anthropic.ToolUseBlock).name)).toEqual(['get_weather', 'get_time']);
    const serial = await client.messages.create({ ...base, tool_choice: { type: 'auto', disable_parallel_tool_use: true }, messages: [{ role: 'user', content: 'in parallel' }] });
    expect(serial.content).toHaveLength(1);
    const none = await client.messages.create({ ...base, tool_choice: { type: 'none' }, messages: [{ role: 'user', content: 'hello' }] });
    expect(none).toMatchObject({ stop_reason: 'end_turn', content: [{ type: 'text', text: '[provider-sim sim-a] hello' }] });
  });

  it('counts tokens the way it bills them', async () => {
    const counted = await client.messages.countTokens({ model: MODEL, system: 'You are terse.', messages: [{ role: 'user', content: USER_TEXT }] });
    expect(counted).toEqual({ input_tokens: 14 });
    expect(sim.requests()[0].url).toBe('/v1/messages/count_tokens');
  });

  it('lists models in Anthropic’s page shape and the SDK pages through them', async () => {
    const page = await client.models.list({ limit: 2 });
    expect(page.data.map((model) => model.id)).toEqual(['claude-sonnet-5-5', 'claude-haiku-5-5']);
    expect(page).toMatchObject({ has_more: true, first_id: 'claude-sonnet-5-5', last_id: 'claude-haiku-5-5' });
    expect(page.data[0]).toMatchObject({ type: 'model', display_name: 'claude-sonnet-5-5', created_at: expect.any(String) });
    const all: string[] = [];
    for await (const model of client.models.list({ limit: 2 })) all.push(model.id);
    expect(all).toEqual(['claude-sonnet-5-5', 'claude-haiku-5-5', 'sim-small']);
    expect(await client.models.retrieve('sim-small')).toMatchObject({ id: 'sim-small', type: 'model' });
    expect(sim.stats().models).toBeGreaterThanOrEqual(3);
  });

  it('surfaces an unknown model as the SDK’s NotFoundError with Anthropic’s error shape and request id', async () => {
    const error = await caught(client.messages.create({ model: 'claude-nope', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, type: 'not_found_error', requestID: expect.stringMatching(/^req_/) });
    expect((error as APIError).error).toMatchObject({ type: 'error', error: { type: 'not_found_error', message: 'model: claude-nope' }, request_id: (error as APIError).requestID });
  });

  it('refuses a wrong key as AuthenticationError, and takes x-api-key as older clients send it', async () => {
    const wrong = new Anthropic({ baseURL: sim.url, apiKey: 'nope', maxRetries: 0 });
    expect(await caught(wrong.models.list())).toBeInstanceOf(AuthenticationError);
    const legacy = await raw('/v1/messages', { headers: { 'anthropic-version': '2023-06-01' }, body: { model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] } });
    expect(legacy.status).toBe(200);
    expect(sim.requests()[1].headers).toMatchObject({ 'x-api-key': '[redacted]', 'anthropic-version': '2023-06-01' });
  });

  it('requires anthropic-version, as Anthropic does', async () => {
    const { status, text } = await raw('/v1/messages', { headers: { 'anthropic-version': null }, body: { model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] } });
    expect(status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' }, request_id: expect.any(String) });
  });

  it.each([
    ['missing max_tokens', {}, { model: MODEL, messages: [{ role: 'user', content: 'hi' }] }, 'max_tokens: Field required'],
    ['a bad role', {}, { model: MODEL, max_tokens: 5, messages: [{ role: 'tool', content: 'hi' }] }, "messages.0.role: Input should be 'user' or 'assistant' or 'system'"],
    ['a system message on 2023-06-01', { 'anthropic-version': '2023-06-01' }, { model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'a' }, { role: 'system', content: 'b' }] }, "messages.1.role: Input should be 'user' or 'assistant'"],
    ['temperature on 2026-10-21', {}, { model: MODEL, max_tokens: 5, temperature: 1, messages: [{ role: 'user', content: 'hi' }] }, 'temperature: Extra inputs are not permitted'],
    ['top_k on 2026-10-21', {}, { model: MODEL, max_tokens: 5, top_k: 5, messages: [{ role: 'user', content: 'hi' }] }, 'top_k: Extra inputs are not permitted'],
    ['temperature above 1 on 2023-06-01', { 'anthropic-version': '2023-06-01' }, { model: MODEL, max_tokens: 5, temperature: 1.5, messages: [{ role: 'user', content: 'hi' }] }, 'temperature: Input should be between 0 and 1'],
    ['an empty text block', {}, { model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] }, 'messages.0.content.0.text: text content blocks must be non-empty'],
    ['a thinking budget at max_tokens', {}, { model: MODEL, max_tokens: 1024, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'hi' }] }, '`max_tokens` must be greater than `thinking.budget_tokens`'],
    ['a document block in an assistant message on 2026-10-21', {}, { model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'd' } }] }, { role: 'user', content: 'b' }] }, 'messages.1.content.0.type: an assistant message cannot hold a `document` block'],
    ['citations on a user text block on 2026-10-21', {}, { model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'text', text: 'a', citations: [{ type: 'char_location', cited_text: 'a', document_index: 0, start_char_index: 0, end_char_index: 1 }] }] }] }, 'messages.0.content.0.citations: text blocks in user messages cannot carry citations'],
    ['thinking with a forced tool', {}, { model: MODEL, max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 1024 }, tools: [WEATHER], tool_choice: { type: 'any' }, messages: [{ role: 'user', content: 'hi' }] }, 'Thinking may not be enabled when tool_choice forces tool use.'],
    ['thinking with temperature 0.5 on 2023-06-01', { 'anthropic-version': '2023-06-01' }, { model: MODEL, max_tokens: 2000, temperature: 0.5, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'hi' }] }, '`temperature` may only be set to 1 when thinking is enabled.'],
  ])('answers 400 invalid_request_error for %s', async (_name, headers, body, message) => {
    const { status, text } = await raw('/v1/messages', { headers: headers as Record<string, string>, body });
    expect(status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message } });
  });

  it('takes a document in an assistant turn and citations on user text on 2023-06-01', async () => {
    const { status } = await raw('/v1/messages', {
      headers: { 'anthropic-version': '2023-06-01' },
      body: {
        model: MODEL,
        max_tokens: 5,
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'a', citations: [{ type: 'char_location', cited_text: 'a', document_index: 0, start_char_index: 0, end_char_index: 1 }] }] },
          { role: 'assistant', content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'd' } }] },
          { role: 'user', content: 'b' },
        ],
      },
    });
    expect(status).toBe(200);
  });

  it('reads x-api-key before Bearer when a client sends both', async () => {
    const { status } = await raw('/v1/models', { method: 'GET', headers: { 'x-api-key': 'wrong', authorization: `Bearer ${KEY}` } });
    expect(status).toBe(401);
  });

  it('takes temperature 0–1 on 2023-06-01', async () => {
    const { status } = await raw('/v1/messages', { headers: { 'anthropic-version': '2023-06-01' }, body: { model: MODEL, max_tokens: 5, temperature: 0.5, top_p: 0.9, messages: [{ role: 'user', content: 'hi' }] } });
    expect(status).toBe(200);
  });

  it('refuses a tool_result for an unknown tool_use_id as BadRequestError', async () => {
    const error = await caught(
      client.messages.create({
        model: MODEL,
        max_tokens: 10,
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_b', content: 'x' }] },
        ],
      }),
    );
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as APIError).message).toContain('unexpected `tool_use_id` found in `tool_result` blocks: toolu_b');
  });

  it('keeps a system message in place on 2026-10-21 after a user turn', async () => {
    const message = await client.messages.create({
      model: MODEL,
      max_tokens: 20,
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'system', content: 'Focus.' },
      ],
    });
    expect(message.content).toEqual([expect.objectContaining({ text: '[provider-sim sim-a] hi' })]);
  });

  it('maps fault error503 to 529 overloaded_error, the Anthropic way, and error500 to api_error', async () => {
    sim.setFault({ mode: 'error503', count: 1 });
    const overloaded = await caught(client.messages.create({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }));
    expect(overloaded).toBeInstanceOf(APIError);
    expect(overloaded).toMatchObject({ status: 529, type: 'overloaded_error' });
    sim.setFault({ mode: 'error500', count: 1 });
    expect(await caught(client.messages.create({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }))).toMatchObject({ status: 500, type: 'api_error' });
    expect(sim.stats().errors).toBe(2);
  });

  it('maps fault rate_limit to 429 rate_limit_error with retry-after', async () => {
    const error = (await caught(
      client.messages.create({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-sim-fault': 'rate_limit', 'x-sim-fault-retry-after': '7' } }),
    )) as APIError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.type).toBe('rate_limit_error');
    expect(error.headers?.get('retry-after')).toBe('7');
  });

  it('ends a stream with an error event on request, which the SDK throws as a typed APIError', async () => {
    const stream = client.messages.stream({ model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-sim-stream-error': 'overloaded_error' } });
    const error = await caught(stream.finalMessage());
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ type: 'overloaded_error' });
    const { text } = await raw('/v1/messages', { headers: { 'x-sim-stream-error': 'overloaded_error' }, body: { model: MODEL, max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'hi' }] } });
    expect([...text.matchAll(/^event: (\S+)$/gm)].map((m) => m[1])).toEqual(['message_start', 'ping', 'error']);
    expect(text).toContain('data: {"type":"error","error":{"type":"overloaded_error","message":"overloaded_error (simulated by provider-sim)"}}');
  });

  it('answers unknown paths with not_found_error and serves /health without a key', async () => {
    const missing = await raw('/v1/chat/completions', { body: {} });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    const health = await fetch(`${sim.url}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', protocol: 'anthropic' });
  });
});
