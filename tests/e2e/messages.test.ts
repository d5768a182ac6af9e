import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, RawMessageStreamEvent, Tool, ToolUseBlock } from '@anthropic-ai/sdk/resources/messages';
import OpenAI from 'openai';
import type { RoutingPolicyView } from '@ish/contracts';
import { countMessageTokens } from '@ish/providers';
import { GATEWAY_URL, testSecrets, api, createApiKey, newUserKey, signUp, addSimInstance, SimInstance, waitForModel, waitFor } from '@ish/test-support';

type AnthropicErrorBody = { type: 'error'; error: { type: string; code: string; message: string } };

const RUN = Date.now().toString(36);
const MODEL = `claude-sim-${RUN}`;
const SIM_NAME = `msg-openai-${RUN}`;
const SIM_KEY = 'sim-messages-key';
// a 1×1 PNG
const PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const weatherTool: Tool = {
  name: 'get_weather',
  description: 'The weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

let openaiSim: SimInstance;
let key: string;

/** The official client as a user points it at the gateway: `baseURL` = the gateway's `/api`, the key as `x-api-key`. */
const anthropic = (options: ConstructorParameters<typeof Anthropic>[0] = {}) => new Anthropic({ baseURL: `${GATEWAY_URL}/api`, apiKey: key, maxRetries: 0, ...options });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  api<AnthropicErrorBody>('POST', path, { body, headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', ...headers } });
// the recorder also holds the instance-manager's health probes (GET …/models): the last call is the last POST
const lastPost = (instance: SimInstance) => instance.sim.requests().filter((r) => r.method === 'POST').at(-1)!;
const lastSent = (instance: SimInstance) => JSON.parse(lastPost(instance).body) as Record<string, unknown>;

beforeAll(async () => {
  openaiSim = await addSimInstance(SIM_NAME, { models: [MODEL], apiKey: SIM_KEY }, { providerType: 'openai', apiKey: SIM_KEY });
  await waitForModel(MODEL);
  key = await newUserKey('messages');
});

afterAll(async () => {
  await openaiSim?.close();
});

describe('POST /api/v1/messages with @anthropic-ai/sdk against an OpenAI-protocol instance (translated)', () => {
  it('answers messages.create with a Message, the x-ish-* headers and the request id', async () => {
    const { data, response } = await anthropic()
      .messages.create({ model: MODEL, max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: 'hello from the anthropic sdk' }] })
      .withResponse();
    expect(data).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: MODEL,
      content: [{ type: 'text', text: `[provider-sim ${SIM_NAME}] hello from the anthropic sdk` }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      // the simulator counts words: (2 + 3) + (5 + 3) prompt, 7 completion
      usage: { input_tokens: 13, output_tokens: 7 },
    });
    expect(data.id).toMatch(/^msg_/);
    expect(response.headers.get('x-ish-instance')).toBe(openaiSim.id);
    expect(response.headers.get('x-ish-provider')).toBe('openai');
    expect(response.headers.get('x-ish-model')).toBe(MODEL);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(response.headers.get('request-id')).toBe(response.headers.get('x-request-id'));
    // what reached the provider: our OpenAI form of the request, with the instance's key
    const sent = openaiSim.sim.requests().at(-1)!;
    expect(sent.url).toBe('/v1/chat/completions');
    expect(sent.headers['authorization']).toBe('Bearer [redacted]');
    expect(JSON.parse(sent.body)).toEqual({
      model: MODEL,
      max_tokens: 100,
      stream: false,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello from the anthropic sdk' },
      ],
    });
  });

  it('streams the Messages events (ping included) and finalMessage() assembles the answer', async () => {
    const stream = anthropic().messages.stream({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'stream these five words' }] });
    const types: string[] = [];
    stream.on('streamEvent', (event: RawMessageStreamEvent) => types.push(event.type));
    const message = await stream.finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: `[provider-sim ${SIM_NAME}] stream these five words`, citations: null }]);
    expect(message.stop_reason).toBe('end_turn');
    // the real usage arrives in message_delta: (4 + 3) prompt, 6 completion
    expect(message.usage).toMatchObject({ input_tokens: 7, output_tokens: 6 });
    expect(types[0]).toBe('message_start');
    expect(types).toContain('content_block_start');
    expect(types).toContain('content_block_delta');
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    // the SDK hands `ping` to no listener: read the wire for it
    const raw = await fetch(`${GATEWAY_URL}/api/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'ping me' }] }),
    });
    expect(raw.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await raw.text();
    expect(text.startsWith('event: message_start\n')).toBe(true);
    expect(text).toContain('event: ping\ndata: {"type":"ping"}\n\n');
    expect(text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
    expect(lastSent(openaiSim)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('carries a tool-use round trip: tools offered, then the tool_use and its tool_result sent back', async () => {
    const question: MessageParam = { role: 'user', content: 'What is the weather in Paris?' };
    await anthropic().messages.create({ model: MODEL, max_tokens: 200, tools: [weatherTool], tool_choice: { type: 'auto', disable_parallel_tool_use: true }, messages: [question] });
    expect(lastSent(openaiSim)).toMatchObject({
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'The weather in a city', parameters: weatherTool.input_schema } }],
      tool_choice: 'auto',
      parallel_tool_calls: false,
    });
    const toolUse = { type: 'tool_use' as const, id: 'toolu_01weather', name: 'get_weather', input: { city: 'Paris' } };
    const second = await anthropic().messages.create({
      model: MODEL,
      max_tokens: 200,
      tools: [weatherTool],
      messages: [question, { role: 'assistant', content: [toolUse] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'sunny, 21 °C' }] }],
    });
    expect(second.stop_reason).toBe('end_turn');
    expect(second.content).toEqual([{ type: 'text', text: expect.stringMatching(new RegExp(`^\\[provider-sim ${SIM_NAME}\\] `)), citations: null }]);
    // the provider got the assistant's tool call and the tool message answering it
    const sent = lastSent(openaiSim) as { messages: Record<string, unknown>[] };
    expect(sent.messages.slice(1)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: toolUse.id, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: toolUse.id, content: 'sunny, 21 °C' },
    ]);
  });

  it('sends an image block on as an image_url data URL', async () => {
    const message = await anthropic().messages.create({
      model: MODEL,
      max_tokens: 50,
      messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PIXEL_PNG } }, { type: 'text', text: 'what is this' }] }],
    });
    expect(message.content).toEqual([{ type: 'text', text: `[provider-sim ${SIM_NAME}] what is this`, citations: null }]);
    expect((lastSent(openaiSim) as { messages: unknown[] }).messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PIXEL_PNG}` } },
          { type: 'text', text: 'what is this' },
        ],
      },
    ]);
  });

  it('counts tokens locally for a non-Anthropic instance (an o200k_base estimate)', async () => {
    const request = { model: MODEL, system: 'Be brief.', messages: [{ role: 'user' as const, content: 'count the tokens of this sentence please' }], tools: [weatherTool] };
    const counted = await anthropic().messages.countTokens(request);
    expect(counted).toEqual(await countMessageTokens(request));
    expect(counted.input_tokens).toBeGreaterThan(10);
    expect(openaiSim.sim.requests().at(-1)!.body).not.toContain('count the tokens');
  });

  it('gives the same text and token counts as /chat/completions for the same conversation', async () => {
    const conversation = [
      { role: 'user' as const, content: 'first question here' },
      { role: 'assistant' as const, content: 'first answer' },
      { role: 'user' as const, content: 'and the second one' },
    ];
    const openai = new OpenAI({ baseURL: `${GATEWAY_URL}/api/v1`, apiKey: key, maxRetries: 0 });
    const completion = await openai.chat.completions.create({ model: MODEL, max_tokens: 50, messages: [{ role: 'system', content: 'You help.' }, ...conversation] });
    const message = await anthropic().messages.create({ model: MODEL, max_tokens: 50, system: 'You help.', messages: conversation });
    expect(message.content).toEqual([{ type: 'text', text: completion.choices[0].message.content, citations: null }]);
    expect(message.usage.input_tokens).toBe(completion.usage!.prompt_tokens);
    expect(message.usage.output_tokens).toBe(completion.usage!.completion_tokens);
  });

  it('takes the key as a Bearer token (ANTHROPIC_AUTH_TOKEN) as well as x-api-key', async () => {
    const message = await anthropic({ apiKey: null, authToken: key }).messages.create({ model: MODEL, max_tokens: 20, messages: [{ role: 'user', content: 'bearer' }] });
    expect(message.content[0]).toMatchObject({ type: 'text', text: `[provider-sim ${SIM_NAME}] bearer` });
  });

  it('speaks 2023-06-01 too: temperature is taken there and refused by 2026-10-21, as Anthropic does', async () => {
    const body = { model: MODEL, max_tokens: 20, temperature: 0.5, messages: [{ role: 'user', content: 'old version' }] };
    const old = await post('/api/v1/messages', body, { 'anthropic-version': '2023-06-01' });
    expect(old.status).toBe(200);
    expect(lastSent(openaiSim)).toMatchObject({ temperature: 0.5 });
    const current = await post('/api/v1/messages', body, { 'anthropic-version': '2026-10-21' });
    expect(current.status).toBe(400);
    expect(current.body).toEqual({ type: 'error', error: { type: 'invalid_request_error', code: 'validation_error', message: expect.stringContaining('temperature') } });
  });
});

describe('POST /api/v1/messages against an Anthropic-protocol instance (untranslated)', () => {
  const A_MODEL = `claude-pass-${RUN}`;
  const FAILOVER_MODEL = `claude-failover-${RUN}`;
  const admin = () => testSecrets().adminApiKey;
  let anthropicSim: SimInstance;
  let overloaded: SimInstance;
  let standby: SimInstance;
  let previousPolicy: RoutingPolicyView | undefined;

  /** The SDK's requests as it put them on the wire, body bytes and headers. */
  const captured: { body: string; headers: Headers }[] = [];
  const capturing: typeof fetch = (input, init) => {
    captured.push({ body: typeof init?.body === 'string' ? init.body : '', headers: new Headers(init?.headers) });
    return fetch(input, init);
  };
  const lastReceived = lastPost;

  beforeAll(async () => {
    previousPolicy = (await api<RoutingPolicyView>('GET', '/api/v1/routing', { token: admin() })).body;
    // the Anthropic instance that will be overloaded (priority 0) is tried before the OpenAI-protocol one (priority 1)
    await api('PUT', '/api/v1/routing', { token: admin(), body: { ...previousPolicy, strategy: 'priority-failover' } });
    // a price of $1 per token: the cost is the token count Anthropic reported
    const prices = { [A_MODEL]: { inputPerMTok: 1_000_000, outputPerMTok: 1_000_000 } };
    anthropicSim = await addSimInstance(`msg-anthropic-${RUN}`, { protocol: 'anthropic', models: [A_MODEL], apiKey: 'a-key' }, { providerType: 'anthropic', apiKey: 'a-key', prices });
    overloaded = await addSimInstance(`msg-overloaded-${RUN}`, { protocol: 'anthropic', models: [FAILOVER_MODEL], apiKey: 'a-key' }, { providerType: 'anthropic', apiKey: 'a-key', priority: 0 });
    standby = await addSimInstance(`msg-standby-${RUN}`, { models: [FAILOVER_MODEL] }, { priority: 1 });
    await Promise.all([A_MODEL, FAILOVER_MODEL].map((model) => waitForModel(model)));
  });

  afterAll(async () => {
    await Promise.all([anthropicSim, overloaded, standby].map((instance) => instance?.close()));
    if (previousPolicy) await api('PUT', '/api/v1/routing', { token: admin(), body: previousPolicy });
  });

  // first of this block: nothing else is logged for A_MODEL yet
  it('logs the untranslated calls with the usage Anthropic reported, plain and streamed', async () => {
    const plain = await anthropic().messages.create({ model: A_MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'log me plainly' }] });
    const streamed = await anthropic().messages.stream({ model: A_MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'log me streamed please' }] }).finalMessage();
    const logged = await waitFor('both calls in the request log', async () => {
      const usage = await api<{ models: { model: string; requests: number; promptTokens: number; completionTokens: number }[] }>('GET', '/api/v1/admin/usage', { token: admin() });
      const row = usage.body.models.find((m) => m.model === A_MODEL);
      return row && row.requests >= 2 ? row : undefined;
    }, 5000, 100);
    expect(logged).toMatchObject({
      requests: 2,
      promptTokens: plain.usage.input_tokens + streamed.usage.input_tokens,
      completionTokens: plain.usage.output_tokens + streamed.usage.output_tokens,
    });
    expect(plain.usage.output_tokens).toBeGreaterThan(0);
    expect(streamed.usage.output_tokens).toBeGreaterThan(0);
  });

  it('sends the body byte for byte (thinking and cache_control included) with anthropic-version and anthropic-beta, and answers as Anthropic did', async () => {
    const { data, response } = await anthropic({ fetch: capturing })
      .messages.create(
        {
          model: A_MODEL,
          max_tokens: 2000,
          system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
          thinking: { type: 'enabled', budget_tokens: 1024 },
          messages: [{ role: 'user', content: [{ type: 'text', text: 'think it over, café ☕', cache_control: { type: 'ephemeral' } }] }],
        },
        { headers: { 'anthropic-beta': 'prompt-caching-2024-07-31,interleaved-thinking-2025-05-14' } },
      )
      .withResponse();
    const sent = captured.at(-1)!;
    const received = lastReceived(anthropicSim);
    expect(received.url).toBe('/v1/messages');
    expect(received.body).toBe(sent.body);
    expect(JSON.parse(received.body)).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 1024 }, system: [{ cache_control: { type: 'ephemeral' } }] });
    expect(received.headers['anthropic-version']).toBe(sent.headers.get('anthropic-version'));
    expect(received.headers['anthropic-version']).toBe('2026-10-21');
    expect(received.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31,interleaved-thinking-2025-05-14');
    // the instance's key (the simulator takes only `a-key`), never the client's
    expect(received.headers.authorization).toBe('Bearer [redacted]');
    // Anthropic's own answer: its thinking block with the signature, its id and usage
    expect(data.content.map((block) => block.type)).toEqual(['thinking', 'text']);
    expect(data.content[0]).toMatchObject({ type: 'thinking', signature: expect.any(String) });
    expect(data.content[1]).toMatchObject({ type: 'text', text: `[provider-sim msg-anthropic-${RUN}] think it over, café ☕` });
    expect(data.model).toBe(A_MODEL);
    // the simulator counts words: (2 + 3) system, (5 + 3) the message
    expect(data.usage).toMatchObject({ input_tokens: 13 });
    expect(response.headers.get('x-ish-instance')).toBe(anthropicSim.id);
    expect(response.headers.get('x-ish-provider')).toBe('anthropic');
    expect(response.headers.get('x-ish-model')).toBe(A_MODEL);
    expect(Number(response.headers.get('x-ish-cost-usd'))).toBe(data.usage.input_tokens + data.usage.output_tokens);
  });

  it("forwards the client's anthropic-version: 2023-06-01 reaches the instance as such, with the key as x-api-key, without drop_params", async () => {
    const body = JSON.stringify({ model: A_MODEL, max_tokens: 20, temperature: 0.5, messages: [{ role: 'user', content: 'old version' }] });
    // our own drop_params is the one field Anthropic does not get (it refuses fields it does not know)
    const answer = await fetch(`${GATEWAY_URL}/api/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: body.replace(/}$/, ',"drop_params":true}'),
    });
    expect(answer.status).toBe(200);
    const received = lastReceived(anthropicSim);
    expect(received.body).toBe(body);
    expect(received.headers['anthropic-version']).toBe('2023-06-01');
    expect(received.headers['x-api-key']).toBe('[redacted]');
    expect(received.headers['anthropic-beta']).toBeUndefined();
  });

  it('carries a tool-use round trip untranslated: the tool_use Anthropic chose, then its tool_result answered', async () => {
    const question: MessageParam = { role: 'user', content: 'What is the weather in Paris?' };
    const first = await anthropic().messages.create({ model: A_MODEL, max_tokens: 200, tools: [weatherTool], messages: [question] });
    expect(first.stop_reason).toBe('tool_use');
    const toolUse = first.content.find((block): block is ToolUseBlock => block.type === 'tool_use')!;
    expect(toolUse).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: expect.any(String) } });
    const second = await anthropic().messages.create({
      model: A_MODEL,
      max_tokens: 200,
      tools: [weatherTool],
      messages: [question, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'sunny, 21 °C' }] }],
    });
    expect(second.stop_reason).toBe('end_turn');
    expect(second.content).toEqual([expect.objectContaining({ type: 'text', text: `[provider-sim msg-anthropic-${RUN}] tool result: sunny, 21 °C` })]);
    // the instance received Anthropic's own blocks, not an OpenAI translation of them
    const sent = JSON.parse(lastReceived(anthropicSim).body) as { messages: { content: unknown }[]; tools: unknown[] };
    expect(sent.tools).toEqual([weatherTool]);
    expect(sent.messages[2].content).toEqual([{ type: 'tool_result', tool_use_id: toolUse.id, content: 'sunny, 21 °C' }]);
  });

  it('sends an image block untranslated, as a base64 source', async () => {
    const image = { type: 'image' as const, source: { type: 'base64' as const, media_type: 'image/png' as const, data: PIXEL_PNG } };
    const message = await anthropic().messages.create({ model: A_MODEL, max_tokens: 50, messages: [{ role: 'user', content: [image, { type: 'text', text: 'what is this' }] }] });
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: `[provider-sim msg-anthropic-${RUN}] what is this` })]);
    expect((JSON.parse(lastReceived(anthropicSim).body) as { messages: unknown[] }).messages).toEqual([{ role: 'user', content: [image, { type: 'text', text: 'what is this' }] }]);
  });

  it('rewrites only `model` when the client named `provider/model`', async () => {
    await anthropic({ fetch: capturing }).messages.create({ model: `anthropic/${A_MODEL}`, max_tokens: 50, messages: [{ role: 'user', content: 'which model' }] });
    const sent = captured.at(-1)!.body;
    expect(sent).toContain(`"model":"anthropic/${A_MODEL}"`);
    expect(lastReceived(anthropicSim).body).toBe(sent.replace(`"model":"anthropic/${A_MODEL}"`, `"model":"${A_MODEL}"`));
  });

  it('relays the stream event by event (ping included); finalMessage() assembles it, usage as Anthropic counted', async () => {
    const stream = anthropic({ fetch: capturing }).messages.stream({ model: A_MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'stream these five words' }] });
    const types: string[] = [];
    stream.on('streamEvent', (event: RawMessageStreamEvent) => types.push(event.type));
    const message = await stream.finalMessage();
    expect(lastReceived(anthropicSim).body).toBe(captured.at(-1)!.body);
    expect(lastReceived(anthropicSim).headers.accept).toBe('text/event-stream');
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: `[provider-sim msg-anthropic-${RUN}] stream these five words` })]);
    expect(message.usage).toMatchObject({ input_tokens: 7 });
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(types[0]).toBe('message_start');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    const raw = await fetch(`${GATEWAY_URL}/api/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'anthropic-version': '2026-10-21', 'content-type': 'application/json' },
      body: JSON.stringify({ model: A_MODEL, max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'ping me' }] }),
    });
    expect(raw.headers.get('x-ish-provider')).toBe('anthropic');
    const text = await raw.text();
    expect(text.startsWith('event: message_start\n')).toBe(true);
    expect(text).toContain('event: ping\n');
    expect(text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
  });

  it("counts tokens with the instance's own count_tokens, not the local estimate", async () => {
    const request = { model: A_MODEL, system: 'Be brief.', messages: [{ role: 'user' as const, content: 'count the tokens of this sentence please' }] };
    const counted = await anthropic({ fetch: capturing }).messages.countTokens(request);
    const received = lastReceived(anthropicSim);
    expect(received.url).toBe('/v1/messages/count_tokens');
    expect(received.body).toBe(captured.at(-1)!.body);
    // the simulator counts words: (2 + 3) + (7 + 3)
    expect(counted).toEqual({ input_tokens: 15 });
    expect(counted.input_tokens).not.toBe((await countMessageTokens(request)).input_tokens);
  });

  it("answers the instance's own refusal with its status and message in Anthropic's shape", async () => {
    // the simulator, like Anthropic, refuses a temperature other than 1 with thinking; the gateway does not check that
    const refused = await post('/api/v1/messages', { model: A_MODEL, max_tokens: 2000, temperature: 0.5, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'x' }] });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: '`temperature` may only be set to 1 when thinking is enabled.' } });
    expect(lastReceived(anthropicSim).body).toContain('"budget_tokens":1024');
  });

  it('fails over from an overloaded (529) Anthropic instance to an OpenAI-protocol one, translated there', async () => {
    // callsOnly: the instance-manager's health probes (GET /v1/models) must not use up the failure
    const overloadOnce = () => overloaded.sim.setFault({ mode: 'error503', count: 1, callsOnly: true });
    try {
      // health probes (GET /v1/models) land in the same recorder: count the message requests only
      const messagesSent = () => overloaded.sim.requests().filter((r) => r.method === 'POST' && r.url.startsWith('/v1/messages')).length;
      const before = messagesSent();
      overloadOnce();
      const { data, response } = await anthropic().messages.create({ model: FAILOVER_MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'survive the overload' }] }).withResponse();
      expect(messagesSent()).toBe(before + 1);
      expect(response.headers.get('x-ish-instance')).toBe(standby.id);
      expect(data.content).toEqual([{ type: 'text', text: `[provider-sim msg-standby-${RUN}] survive the overload`, citations: null }]);
      expect(lastSent(standby)).toMatchObject({ model: FAILOVER_MODEL, messages: [{ role: 'user', content: 'survive the overload' }] });
      overloadOnce();
      const streamed = await anthropic().messages.stream({ model: FAILOVER_MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'and streamed' }] }).finalMessage();
      expect(streamed.content[0]).toMatchObject({ type: 'text', text: `[provider-sim msg-standby-${RUN}] and streamed` });
    } finally {
      overloaded.sim.clearFault();
    }
  });
});

describe('errors on /api/v1/messages in Anthropic shape', () => {
  it('refuses what the Messages API refuses: 400 invalid_request_error, and the SDK reads it', async () => {
    const missing = await post('/api/v1/messages', { model: MODEL, messages: [{ role: 'user', content: 'no max_tokens' }] });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ type: 'error', error: { type: 'invalid_request_error', code: 'validation_error', message: 'max_tokens: Field required' } });
    expect(missing.headers.get('x-request-id')).toBeTruthy();
    const extra = await post('/api/v1/messages', { model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'x' }], surprise: 1 });
    expect(extra.body.error).toMatchObject({ type: 'invalid_request_error', message: 'surprise: Extra inputs are not permitted' });
    const version = await post('/api/v1/messages', { model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, { 'anthropic-version': '1999-01-01' });
    expect(version.status).toBe(400);
    expect(version.body.error.type).toBe('invalid_request_error');
    const error = await anthropic()
      .messages.create({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: [] }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'messages.0: all messages must have non-empty content except for the optional final assistant message' },
    });
  });

  it('names an Anthropic-only feature the provider cannot honour (400), and drops it under drop_params', async () => {
    const body = { model: MODEL, max_tokens: 5, top_k: 5, messages: [{ role: 'user', content: 'top k' }] };
    const refused = await post('/api/v1/messages', body);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', code: 'unsupported_parameter', message: expect.stringContaining('`top_k`') } });
    const dropped = await post('/api/v1/messages', { ...body, drop_params: true });
    expect(dropped.status).toBe(200);
    expect(dropped.headers.get('x-ish-dropped-params')).toBe('top_k');
    expect(lastSent(openaiSim)).not.toHaveProperty('top_k');
    expect(lastSent(openaiSim)).not.toHaveProperty('drop_params');
  });

  it('answers 401, 403 and 404 as authentication_error, permission_error and not_found_error', async () => {
    const unauthenticated = await api<AnthropicErrorBody>('POST', '/api/v1/messages', { body: { model: MODEL, max_tokens: 5, messages: [] }, headers: { 'x-api-key': 'ish_not_a_key' } });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const sdkError = await anthropic({ apiKey: 'ish_not_a_key' })
      .messages.create({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(sdkError).toBeInstanceOf(Anthropic.AuthenticationError);

    const user = await signUp('messages-scope');
    const hooksOnly = await createApiKey(user.accessToken, 'hooks', ['webhooks']);
    const forbidden = await post('/api/v1/messages/count_tokens', { model: MODEL, messages: [{ role: 'user', content: 'x' }] }, { 'x-api-key': hooksOnly });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ type: 'error', error: { type: 'permission_error' } });

    const unknown = await anthropic()
      .messages.create({ model: `no-such-model-${RUN}`, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);
    expect((unknown as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({ type: 'error', error: { type: 'not_found_error', code: 'model_not_found' } });
    const count = await post('/api/v1/messages/count_tokens', { model: `no-such-model-${RUN}`, messages: [{ role: 'user', content: 'x' }] });
    expect(count.status).toBe(404);
    expect(count.body.error.type).toBe('not_found_error');
  });

  it('turns an upstream failure into the Anthropic error shape and type', async () => {
    openaiSim.sim.setFault({ mode: 'error500', count: 3, callsOnly: true });
    const failed = await post('/api/v1/messages', { model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] });
    openaiSim.sim.clearFault();
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(failed.body).toMatchObject({ type: 'error', error: { type: expect.stringMatching(/^(api_error|overloaded_error)$/) } });
  });
});
