import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText, tool } from 'ai';
import { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';
import { GATEWAY_URL, newUserKey, addSimInstance, SimInstance, waitForModel } from '@ish/test-support';

const RUN = Date.now().toString(36);
// priced like gpt-4o-mini ($0.15 in, $0.60 out per million tokens), so the cost is not 0
const MODEL = `gpt-4o-mini-${RUN}`;
const GROQ_MODEL = `llama-3.1-8b-instant-${RUN}`;
const SIM_KEY = 'sim-chat-key';
let main: SimInstance;
let groq: SimInstance;
let key: string;

const client = () => new OpenAI({ baseURL: `${GATEWAY_URL}/api/v1`, apiKey: key, maxRetries: 0, timeout: 60_000 });
const weatherTool: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] }, days: { type: 'integer' } }, required: ['city', 'unit'] },
  },
};
const timeTool: ChatCompletionTool = { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } } };
const cost = (usage: { prompt_tokens: number; completion_tokens: number }) => (usage.prompt_tokens * 0.15 + usage.completion_tokens * 0.6) / 1_000_000;
/** what the provider received last, parsed */
const lastSent = (instance = main) => JSON.parse(instance.sim.requests(1)[0].body) as Record<string, unknown>;
const badRequest = (promise: Promise<unknown>) => promise.then(() => { throw new Error('accepted'); }, (error: unknown) => error as InstanceType<typeof OpenAI.APIError>);

beforeAll(async () => {
  main = await addSimInstance(`chat-main-${RUN}`, { models: [MODEL], apiKey: SIM_KEY }, { providerType: 'openai', apiKey: SIM_KEY });
  groq = await addSimInstance(`chat-groq-${RUN}`, { models: [GROQ_MODEL], apiKey: SIM_KEY }, { providerType: 'groq', apiKey: SIM_KEY });
  await waitForModel(MODEL);
  await waitForModel(GROQ_MODEL);
  key = await newUserKey('chat-completions');
});

afterAll(async () => {
  await main?.close();
  await groq?.close();
});

describe('tool calling with the official openai SDK through the gateway', () => {
  const question: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Paris' }];

  it('round trip: a tool call with the x-ish-* headers, then the tool result answered', async () => {
    const { data: first, response } = await client().chat.completions.create({ model: MODEL, messages: question, tools: [weatherTool, timeTool] }).withResponse();
    expect(first.choices[0].finish_reason).toBe('tool_calls');
    const message = first.choices[0].message;
    expect(message.content).toBeNull();
    expect(message.tool_calls).toHaveLength(1);
    const call = message.tool_calls![0] as { id: string; type: 'function'; function: { name: string; arguments: string } };
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris', unit: 'celsius' });
    expect(response.headers.get('x-ish-instance')).toBe(main.id);
    expect(response.headers.get('x-ish-provider')).toBe('openai');
    expect(response.headers.get('x-ish-model')).toBe(MODEL);
    expect(Number(response.headers.get('x-ish-cost-usd'))).toBeCloseTo(cost(first.usage!), 12);
    expect(Number(response.headers.get('x-ish-cost-usd'))).toBeGreaterThan(0);

    const followUp: ChatCompletionMessageParam[] = [...question, message, { role: 'tool', tool_call_id: call.id, content: '22 degrees and sunny' }];
    const second = await client().chat.completions.create({ model: MODEL, messages: followUp, tools: [weatherTool, timeTool] });
    expect(second.choices[0].finish_reason).toBe('stop');
    expect(second.choices[0].message.content).toBe(`[provider-sim chat-main-${RUN}] tool result: 22 degrees and sunny`);
    // the assistant's call and the tool's answer reached the provider as sent
    expect(lastSent().messages).toEqual(JSON.parse(JSON.stringify(followUp)));
    expect(lastSent().tools).toEqual([weatherTool, timeTool]);
  });

  it('streamed: index, id and name first, the arguments in pieces that join to JSON, finish_reason tool_calls, usage.cost_usd', async () => {
    const { data: stream, response } = await client()
      .chat.completions.create({ model: MODEL, messages: question, tools: [weatherTool], stream: true, stream_options: { include_usage: true } })
      .withResponse();
    expect(response.headers.get('x-ish-instance')).toBe(main.id);
    expect(response.headers.get('x-ish-provider')).toBe('openai');
    expect(response.headers.get('x-ish-model')).toBe(MODEL);
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const deltas = chunks.flatMap((chunk) => chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? []));
    expect(deltas[0]).toMatchObject({ index: 0, id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_weather' } });
    const pieces = deltas.map((delta) => delta.function?.arguments ?? '').filter(Boolean);
    expect(pieces.length).toBeGreaterThan(1);
    expect(JSON.parse(pieces.join(''))).toEqual({ city: 'Paris', unit: 'celsius' });
    expect(chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.finish_reason)).filter(Boolean)).toEqual(['tool_calls']);
    const usage = chunks.at(-1)!.usage as (ChatCompletionChunk['usage'] & { cost_usd: number }) | undefined;
    expect(usage?.cost_usd).toBeCloseTo(cost(usage!), 12);
    expect(usage?.cost_usd).toBeGreaterThan(0);
  });

  it('the SDK’s stream helper rebuilds the parallel calls of a streamed answer', async () => {
    const runner = client().chat.completions.stream({ model: MODEL, messages: [{ role: 'user', content: 'both in parallel' }], tools: [weatherTool, timeTool] });
    const final = await runner.finalChatCompletion();
    const calls = final.choices[0].message.tool_calls as { function: { name: string; arguments: string } }[];
    expect(calls.map((call) => call.function.name)).toEqual(['get_weather', 'get_time']);
    expect(calls.map((call) => JSON.parse(call.function.arguments))).toEqual([{ city: 'both in parallel', unit: 'celsius' }, { zone: 'both in parallel' }]);
  });

  it('a forced tool_choice calls that tool; tool_choice none answers text', async () => {
    const forced = await client().chat.completions.create({ model: MODEL, messages: question, tools: [weatherTool, timeTool], tool_choice: { type: 'function', function: { name: 'get_time' } } });
    expect((forced.choices[0].message.tool_calls![0] as { function: { name: string } }).function.name).toBe('get_time');
    const none = await client().chat.completions.create({ model: MODEL, messages: question, tools: [weatherTool], tool_choice: 'none' });
    expect(none.choices[0].message.content).toBe(`[provider-sim chat-main-${RUN}] Paris`);
  });
});

describe('the rest of the request with the openai SDK', () => {
  it('passes image parts to the provider intact (https and data URLs)', async () => {
    const content = [
      { type: 'text' as const, text: 'what is in these?' },
      { type: 'image_url' as const, image_url: { url: 'https://images.example/cat.png', detail: 'high' as const } },
      { type: 'image_url' as const, image_url: { url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==' } },
    ];
    const answer = await client().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content }] });
    expect(answer.choices[0].message.content).toBe(`[provider-sim chat-main-${RUN}] what is in these?`);
    expect(lastSent().messages).toEqual([{ role: 'user', content }]);
  });

  it('answers n: 2 with two choices', async () => {
    const answer = await client().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'two please' }], n: 2 });
    expect(answer.choices.map((choice) => choice.index)).toEqual([0, 1]);
    expect(answer.choices.map((choice) => choice.message.content)).toEqual([`[provider-sim chat-main-${RUN}] two please`, `[provider-sim chat-main-${RUN}] two please`]);
    expect(lastSent().n).toBe(2);
  });

  it('answers logprobs with top_logprobs, plain and streamed', async () => {
    const answer = await client().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'probable words' }], logprobs: true, top_logprobs: 2 });
    const tokens = answer.choices[0].logprobs!.content!;
    expect(tokens.map((token) => token.token).join('')).toBe(answer.choices[0].message.content);
    expect(tokens[0].top_logprobs).toHaveLength(2);
    const stream = await client().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'probable words' }], logprobs: true, top_logprobs: 1, stream: true });
    const streamed: string[] = [];
    for await (const chunk of stream) for (const token of chunk.choices[0]?.logprobs?.content ?? []) streamed.push(token.token);
    expect(streamed.join('')).toBe(answer.choices[0].message.content);
  });

  it('forwards a parameter it does not know, unchanged, and the known ones as sent', async () => {
    const body = {
      model: MODEL,
      messages: [{ role: 'user', content: 'future' }],
      a_parameter_from_the_future: { nested: [1, 'two', { three: true }] },
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object', properties: { a: { type: 'string' } } }, strict: true } },
      reasoning_effort: 'low',
      metadata: { app: 'e2e' },
      service_tier: 'auto',
      store: false,
      user: 'end-user-1',
      logit_bias: { '50256': -100 },
    } as unknown as ChatCompletionCreateParamsNonStreaming;
    await client().chat.completions.create(body);
    expect(lastSent()).toEqual({ ...body, stream: false });
  });

  it('answers unsupported_parameter when the provider cannot honour one, and drops it under drop_params', async () => {
    const request = { model: GROQ_MODEL, messages: [{ role: 'user' as const, content: 'hello groq' }], logprobs: true, top_logprobs: 2 };
    const before = groq.sim.requests().length;
    const refused = await badRequest(client().chat.completions.create(request));
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect(refused.code).toBe('unsupported_parameter');
    expect(refused.param).toBe('logprobs');
    expect(refused.message).toContain('Groq');
    expect(groq.sim.requests().length).toBe(before);

    const { data, response } = await client()
      .chat.completions.create({ ...request, drop_params: true } as ChatCompletionCreateParamsNonStreaming)
      .withResponse();
    expect(data.choices[0].message.content).toBe(`[provider-sim chat-groq-${RUN}] hello groq`);
    expect(response.headers.get('x-ish-dropped-params')).toBe('logprobs, top_logprobs');
    expect(response.headers.get('x-ish-provider')).toBe('groq');
    const sent = lastSent(groq);
    expect(sent).toEqual({ model: GROQ_MODEL, messages: request.messages, stream: false });
  });

  it('serves a deterministic request without tools from the cache, keyed on the whole request', async () => {
    const calls = () => main.sim.stats().chatCompletions;
    const body: ChatCompletionCreateParamsNonStreaming = { model: MODEL, messages: [{ role: 'user', content: `cache me ${RUN}` }], temperature: 0 };
    const before = calls();
    const first = await client().chat.completions.create(body).withResponse();
    const second = await client().chat.completions.create(body).withResponse();
    expect(second.data).toEqual(first.data);
    expect(second.response.headers.get('x-ish-cache')).toBe('hit');
    expect(second.response.headers.get('x-ish-cost-usd')).toBe('0');
    expect(second.response.headers.get('x-ish-instance')).toBe(main.id);
    expect(calls() - before).toBe(1);
    // another parameter is another request; tools and streams are never cached
    await client().chat.completions.create({ ...body, n: 2 });
    expect(calls() - before).toBe(2);
    await client().chat.completions.create({ ...body, tools: [weatherTool], tool_choice: 'none' });
    await client().chat.completions.create({ ...body, tools: [weatherTool], tool_choice: 'none' });
    expect(calls() - before).toBe(4);
    for await (const _chunk of await client().chat.completions.create({ ...body, stream: true })) void _chunk;
    expect(calls() - before).toBe(5);
  });

  it("returns the provider's own 400 as it was, its param included", async () => {
    const allowedTools = { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'get_weather' } }] } };
    const error = await badRequest(client().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], tools: [weatherTool], tool_choice: allowedTools } as ChatCompletionCreateParamsNonStreaming));
    // the simulator knows no allowed_tools choice: its refusal, not ours
    expect([error.status, error.param, error.type]).toEqual([400, 'tool_choice', 'invalid_request_error']);
    expect(error.message).toContain("'tool_choice' must be none, auto, required");
  });

  it('refuses bad input with 400 and the field in param', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'call_never', content: 'r' }] }, 'messages.1.tool_call_id'],
      [
        {
          messages: [
            { role: 'user', content: 'x' },
            { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
            { role: 'tool', tool_call_id: 'call_1', content: 'r' },
            { role: 'tool', tool_call_id: 'call_1', content: 'again' },
          ],
        },
        'messages.3.tool_call_id',
      ],
      [{ messages: [{ role: 'user', content: 'x' }], tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_time' } } }, 'tool_choice.function.name'],
      [{ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'not a url' } }] }] }, 'messages.0.content.0.image_url.url'],
      [{ messages: [{ role: 'user', content: 'x' }], n: 9 }, 'n'],
    ];
    for (const [fields, param] of cases) {
      const error = await badRequest(client().chat.completions.create({ model: MODEL, ...fields } as unknown as ChatCompletionCreateParamsNonStreaming));
      expect([error.status, error.param, error.type]).toEqual([400, param, 'invalid_request_error']);
    }
  });

  it("words a refusal of the scalar parameters in class-validator's messages, every offending field in details", async () => {
    const error = await badRequest(client().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], temperature: 3, seed: 0.5 }));
    expect([error.status, error.param, error.code]).toEqual([400, 'temperature', 'validation_failed']);
    expect(error.error).toMatchObject({
      message: 'Invalid request: check temperature, seed',
      details: [
        { field: 'temperature', message: 'temperature must not be greater than 2' },
        { field: 'seed', message: 'seed must be an integer number' },
      ],
    });
  });
});

describe('limits that fit real prompts', () => {
  it('answers a 300 000-character prompt', async () => {
    const prompt = `${'word '.repeat(60_000)}end`;
    expect(prompt.length).toBeGreaterThan(300_000);
    const answer = await client().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: prompt }], max_tokens: 3 });
    expect(answer.choices[0].finish_reason).toBe('length');
    expect(answer.usage!.prompt_tokens).toBe(60_001 + 3);
  });

  it('takes a 20 MiB image, and 30 MiB of images in one request, to the provider intact', async () => {
    const image = (mib: number, fill: string) => ({ type: 'image_url' as const, image_url: { url: `data:image/jpeg;base64,${fill.repeat(mib * 1024 * 1024)}` } });
    const single = await client().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: [{ type: 'text', text: 'big one' }, image(20, 'A')] }] });
    expect(single.choices[0].message.content).toBe(`[provider-sim chat-main-${RUN}] big one`);
    const content = [{ type: 'text' as const, text: 'three' }, image(10, 'B'), image(10, 'C'), image(10, 'D')];
    await client().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content }] });
    const sent = lastSent().messages as { content: { image_url?: { url: string } }[] }[];
    expect(sent[0].content.slice(1).map((part) => part.image_url!.url)).toEqual(content.slice(1).map((part) => (part as ReturnType<typeof image>).image_url.url));
  });

  it('answers 40 MiB with 413 from the gateway, in the API.md shape', async () => {
    const response = await fetch(`${GATEWAY_URL}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${'A'.repeat(40 * 1024 * 1024)}` } }] }] }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: { type: 'invalid_request_error', code: 'payload_too_large', message: expect.any(String) } });
  });

  it('answers more than MAX_MESSAGE_CHARS of text with 413 message_too_long', async () => {
    const error = await badRequest(client().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x'.repeat(2_000_001) }] }));
    expect(error.status).toBe(413);
    expect(error.code).toBe('message_too_long');
  });
});

describe('agent frameworks through the gateway', () => {
  it('Vercel AI SDK: generateText with a zod tool gets its tool call', async () => {
    const provider = createOpenAI({ baseURL: `${GATEWAY_URL}/api/v1`, apiKey: key });
    const result = await generateText({
      model: provider.chat(MODEL),
      tools: { get_weather: tool({ description: 'The weather of a city', inputSchema: z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']) }) }) },
      prompt: 'Weather in Oslo?',
      maxRetries: 0,
    });
    expect(result.finishReason).toBe('tool-calls');
    expect(result.toolCalls).toEqual([expect.objectContaining({ toolName: 'get_weather', input: { city: 'Weather in Oslo?', unit: 'celsius' } })]);
  });

  it('Vercel AI SDK: streamText gets the streamed tool call', async () => {
    const provider = createOpenAI({ baseURL: `${GATEWAY_URL}/api/v1`, apiKey: key });
    const result = streamText({
      model: provider.chat(MODEL),
      tools: { get_weather: tool({ description: 'The weather of a city', inputSchema: z.object({ city: z.string() }) }) },
      prompt: 'Weather in Rome?',
      maxRetries: 0,
    });
    expect(await result.toolCalls).toEqual([expect.objectContaining({ toolName: 'get_weather', input: { city: 'Weather in Rome?' } })]);
    expect(await result.finishReason).toBe('tool-calls');
  });

  it('LangChain: ChatOpenAI.bindTools(...).invoke(...) gets its tool call', async () => {
    const model = new ChatOpenAI({ model: MODEL, apiKey: key, configuration: { baseURL: `${GATEWAY_URL}/api/v1` }, maxRetries: 0 });
    const message = await model.bindTools([weatherTool]).invoke('Weather in Lima?');
    expect(message.tool_calls).toEqual([expect.objectContaining({ name: 'get_weather', args: { city: 'Weather in Lima?', unit: 'celsius' } })]);
  });
});
