import { ApiError, FunctionCallingConfigMode, GoogleGenAI, Type } from '@google/genai';
import { geminiAdapter, geminiEmbeddings, geminiModelIds, geminiProbe, mapGeminiError, SseDecoder } from '@ish/providers';
import type { OpenAIChatRequest } from '@ish/providers';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { ProviderSim, startProviderSim } from '../index';
import { caught, simForSuite } from '../sim-suite.spec-helper';

const KEY = 'AIza-sim-key';
const WEATHER = {
  name: 'get_weather',
  description: 'Weather of a city',
  parametersJsonSchema: {
    type: 'object',
    properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] }, days: { type: 'integer' }, verbose: { type: 'boolean' } },
    required: ['city', 'unit', 'days'],
  },
};
const TIME = { name: 'get_time', parameters: { type: Type.OBJECT, properties: { zone: { type: Type.STRING }, exact: { type: Type.BOOLEAN }, tags: { type: Type.ARRAY, items: { type: Type.STRING } } } } };

/** The SDK pointed straight at the sim. Jest's sandbox hides the undici dispatcher the SDK reaches for unless it is given a fetch: this one is Node's own. */
function genai(sim: ProviderSim, apiKey: string): GoogleGenAI {
  return new GoogleGenAI({ apiKey, httpOptions: { baseUrl: sim.url, fetch: (input, init) => fetch(input, init) } });
}

describe('provider-sim --protocol gemini with the official @google/genai SDK', () => {
  let sim: ProviderSim;
  let ai: GoogleGenAI;

  simForSuite({ name: 'gsim', protocol: 'gemini', apiKey: KEY }, (started) => {
    sim = started;
    ai = genai(sim, KEY);
  });

  it('answers generateContent with the simulated text, finish reason and word-counted usage', async () => {
    const response = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Tell me about   the simulator', config: { systemInstruction: 'You are terse.' } });
    expect(response.text).toBe('[provider-sim gsim] Tell me about   the simulator');
    expect(response.candidates?.[0].finishReason).toBe('STOP');
    expect(response.modelVersion).toBe('gemini-2.5-flash');
    // 3 + 5 words, 3 tokens per message (the system instruction is one); 7 words of reply: as the OpenAI protocol counts
    expect(response.usageMetadata).toMatchObject({ promptTokenCount: 14, candidatesTokenCount: 7, totalTokenCount: 21 });
    const [recorded] = sim.requests();
    expect(recorded.url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(recorded.headers['x-goog-api-key']).toBe('[redacted]');
    expect(JSON.parse(recorded.body)).toMatchObject({ contents: [{ role: 'user', parts: [{ text: 'Tell me about   the simulator' }] }], systemInstruction: { parts: [{ text: 'You are terse.' }] } });
  });

  it('cuts the reply at maxOutputTokens words with MAX_TOKENS', async () => {
    const response = await ai.models.generateContent({ model: 'gemini-2.5-pro', contents: 'one two three four', config: { maxOutputTokens: 3 } });
    expect(response.text).toBe('[provider-sim gsim] one');
    expect(response.candidates?.[0].finishReason).toBe('MAX_TOKENS');
  });

  it('streams the same text with generateContentStream, usage on every chunk', async () => {
    const stream = await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'stream this please' });
    const texts: string[] = [];
    let last;
    for await (const chunk of stream) {
      texts.push(chunk.text ?? '');
      last = chunk;
    }
    expect(texts.length).toBe(5);
    expect(texts.join('')).toBe('[provider-sim gsim] stream this please');
    expect(last?.candidates?.[0].finishReason).toBe('STOP');
    expect(last?.usageMetadata).toMatchObject({ promptTokenCount: 6, candidatesTokenCount: 5, totalTokenCount: 11 });
    expect(sim.stats()).toMatchObject({ chatCompletions: 1, streamed: 1, byModel: { 'gemini-2.5-flash': 1 } });
    expect(sim.requests()[0].url).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
  });

  it('does a function-calling round trip: a call with schema-built arguments, then the tool result', async () => {
    const tools = [{ functionDeclarations: [WEATHER, TIME] }];
    const first = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Weather in Paris?', config: { tools } });
    expect(first.functionCalls).toEqual([{ name: 'get_weather', args: { city: 'Weather in Paris?', unit: 'celsius', days: 1 } }]);
    expect(first.candidates?.[0].finishReason).toBe('STOP');
    // completion tokens are the words of the JSON arguments
    expect(first.usageMetadata?.candidatesTokenCount).toBe(3);

    const second = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
        first.candidates![0].content!,
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { output: 'sunny, 21 degrees' } } }] },
      ],
      config: { tools },
    });
    expect(second.functionCalls).toBeUndefined();
    expect(second.text).toBe('[provider-sim gsim] tool result: sunny, 21 degrees');
  });

  it('calls the function a forced choice names, none with mode NONE, and the first two for a parallel request', async () => {
    const tools = [{ functionDeclarations: [WEATHER, TIME] }];
    const forced = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'What time is it, in parallel?',
      config: { tools, toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: ['get_time'] } } },
    });
    expect(forced.functionCalls).toEqual([{ name: 'get_time', args: { zone: 'What time is it, in parallel?', exact: true, tags: [] } }]);

    const none = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi', config: { tools, toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.NONE } } } });
    expect(none.text).toBe('[provider-sim gsim] Hi');

    const parallel = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Both in parallel please', config: { tools } });
    expect(parallel.functionCalls?.map((call) => call.name)).toEqual(['get_weather', 'get_time']);
  });

  it('streams a function call whole in one chunk', async () => {
    const stream = await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Weather?', config: { tools: [{ functionDeclarations: [WEATHER] }] } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks).toHaveLength(1);
    expect(chunks[0].functionCalls).toEqual([{ name: 'get_weather', args: { city: 'Weather?', unit: 'celsius', days: 1 } }]);
  });

  it('counts tokens', async () => {
    const counted = await ai.models.countTokens({ model: 'gemini-2.5-flash', contents: 'four words right here' });
    expect(counted.totalTokens).toBe(7);
  });

  it('embeds content (the SDK uses batchEmbedContents) deterministically, honouring outputDimensionality', async () => {
    const response = await ai.models.embedContent({ model: 'gemini-embedding-001', contents: ['hello', 'world', 'hello'], config: { outputDimensionality: 8 } });
    const vectors = response.embeddings!.map((embedding) => embedding.values!);
    expect(vectors.map((v) => v.length)).toEqual([8, 8, 8]);
    expect(vectors[0]).toEqual(vectors[2]);
    expect(vectors[0]).not.toEqual(vectors[1]);
    expect(Math.hypot(...vectors[0])).toBeCloseTo(1, 6);
    expect(sim.requests()[0].url).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');

    const full = await ai.models.embedContent({ model: 'gemini-embedding-001', contents: 'x' });
    expect(full.embeddings![0].values).toHaveLength(3072);
  });

  it('lists the models with their generation methods', async () => {
    const pager = await ai.models.list();
    const models = [];
    for await (const model of pager) models.push(model);
    expect(models.map((model) => model.name)).toEqual(['models/gemini-2.5-flash', 'models/gemini-2.5-pro', 'models/gemini-embedding-001']);
    expect(models[0].supportedActions).toEqual(['generateContent', 'streamGenerateContent', 'countTokens']);
    expect(models[2].supportedActions).toEqual(['embedContent', 'batchEmbedContents', 'countTokens']);
    const one = await ai.models.get({ model: 'gemini-2.5-pro' });
    expect(one.name).toBe('models/gemini-2.5-pro');
  });

  it("surfaces the sim's faults and errors as the SDK's ApiError with Google's status", async () => {
    sim.setFault({ mode: 'error503', count: 1 });
    const overloaded = await caught(ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' }));
    expect(overloaded).toBeInstanceOf(ApiError);
    expect((overloaded as ApiError).status).toBe(503);
    expect(JSON.parse((overloaded as ApiError).message)).toMatchObject({ error: { code: 503, status: 'UNAVAILABLE' } });

    const unknown = await caught(ai.models.generateContent({ model: 'gemini-0-nope', contents: 'x' }));
    expect(unknown).toMatchObject({ name: 'ApiError', status: 404 });
    expect((unknown as ApiError).message).toContain('models/gemini-0-nope is not found for API version v1beta');

    const wrongKey = genai(sim, 'AIza-wrong');
    const denied = await caught(wrongKey.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' }));
    expect(denied).toMatchObject({ name: 'ApiError', status: 400 });
    expect((denied as ApiError).message).toContain('API_KEY_INVALID');
  });
});

describe('provider-sim --protocol gemini over raw HTTP', () => {
  let sim: ProviderSim;

  simForSuite({ name: 'raw', protocol: 'gemini', apiKey: KEY, models: ['gemini-3-flash'] }, (started) => (sim = started));

  const post = (path: string, body: unknown, headers: Record<string, string> = { 'x-goog-api-key': KEY }) =>
    fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const HELLO = { contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] };

  it('takes the key as ?key= too, never recording its value, and refuses a missing key with 403', async () => {
    expect((await post(`/v1beta/models/gemini-3-flash:generateContent?key=${KEY}`, HELLO, {})).status).toBe(200);
    expect(sim.requests()[0].url).toBe('/v1beta/models/gemini-3-flash:generateContent?key=[redacted]');
    const missing = await post('/v1beta/models/gemini-3-flash:generateContent', HELLO, {});
    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED' } });
  });

  it('frames the stream as Google does (data: …, CRLF CRLF) and answers a JSON array without alt=sse', async () => {
    const sse = await post('/v1beta/models/gemini-3-flash:streamGenerateContent?alt=sse', HELLO);
    expect(sse.headers.get('content-type')).toBe('text/event-stream');
    const text = await sse.text();
    expect(text.split('\r\n\r\n').filter(Boolean).every((event) => event.startsWith('data: {'))).toBe(true);
    const array = (await (await post('/v1beta/models/gemini-3-flash:streamGenerateContent', HELLO)).json()) as { candidates: { content: { parts: { text: string }[] } }[] }[];
    expect(array.map((chunk) => chunk.candidates[0].content.parts[0].text).join('')).toBe('[provider-sim raw] Hello');
  });

  it("validates like Gemini: contents, roles, parts, unknown models and methods", async () => {
    const cases: [string, unknown, number, string][] = [
      ['/v1beta/models/gemini-3-flash:generateContent', {}, 400, 'contents is not specified'],
      ['/v1beta/models/gemini-3-flash:generateContent', { contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] }, 400, 'valid role'],
      ['/v1beta/models/gemini-3-flash:generateContent', { contents: [{ role: 'user', parts: [] }] }, 400, 'must not be empty'],
      ['/v1beta/models/gemini-3-flash:generateContent', { contents: [{ parts: [{ bogus: 1 }] }] }, 400, "oneof field 'data'"],
      ['/v1beta/models/gemini-3-flash:generateContent', { ...HELLO, generationConfig: { temperature: 3 } }, 400, 'temperature'],
      ['/v1beta/models/other:generateContent', HELLO, 404, 'models/other is not found'],
      ['/v1beta/models/gemini-3-flash:embedContent', { content: { parts: [{ text: 'x' }] } }, 404, 'not supported for embedContent'],
      ['/v1beta/models/gemini-3-flash:explode', HELLO, 404, 'Unknown request URL'],
    ];
    for (const [path, body, status, message] of cases) {
      const response = await post(path, body);
      expect([path, response.status]).toEqual([path, status]);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain(message);
    }
  });

  it('maps the rate_limit fault to 429 RESOURCE_EXHAUSTED with RetryInfo and Retry-After, and error500 to INTERNAL', async () => {
    const limited = await post('/v1beta/models/gemini-3-flash:generateContent', HELLO, { 'x-goog-api-key': KEY, 'x-sim-fault': 'rate_limit', 'x-sim-fault-retry-after': '7' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toMatchObject({
      error: { code: 429, status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }] },
    });
    sim.setFault({ mode: 'error500', count: 1 });
    const failed = await fetch(`${sim.url}/v1beta/models`, { headers: { 'x-goog-api-key': KEY } });
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ error: { status: 'INTERNAL' } });
    expect((await fetch(`${sim.url}/health`)).status).toBe(200);
  });
});

describe('the Gemini adapter against provider-sim --protocol gemini', () => {
  let gemini: ProviderSim;
  let openai: ProviderSim;

  beforeAll(async () => {
    gemini = await startProviderSim({ name: 'same', protocol: 'gemini', apiKey: KEY });
    openai = await startProviderSim({ name: 'same', models: ['gemini-2.5-flash'] });
  });
  afterAll(async () => {
    await gemini.close();
    await openai.close();
  });

  async function send(sim: ProviderSim, call: { method: string; path: string; query?: Record<string, string>; headers: Record<string, string>; body?: unknown }) {
    const query = call.query ? `?${new URLSearchParams(call.query)}` : '';
    return fetch(`${sim.url}${call.path}${query}`, { method: call.method, headers: { 'content-type': 'application/json', ...call.headers }, body: JSON.stringify(call.body) });
  }

  const REQUEST = {
    model: 'gemini-2.5-flash',
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Tell me about the simulator' },
    ],
  } as OpenAIChatRequest;
  const SETTINGS = { model: 'gemini-2.5-flash', apiKey: KEY };

  it('gives the same OpenAI answer (text, finish reason, usage) as the OpenAI protocol does', async () => {
    const { call } = geminiAdapter.chatRequest(REQUEST, SETTINGS);
    const completion = geminiAdapter.chatResponse(await (await send(gemini, call)).json(), SETTINGS);
    const direct = (await (await fetch(`${openai.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(REQUEST) })).json()) as ChatCompletion;
    expect(completion.choices[0].message.content).toBe(direct.choices[0].message.content);
    expect(completion.choices[0].finish_reason).toBe(direct.choices[0].finish_reason);
    expect(completion.usage).toEqual(direct.usage);
  });

  it('streams through the translator into the same text, then a tool call round trip by the call id', async () => {
    const { call } = geminiAdapter.chatRequest({ ...REQUEST, stream: true }, SETTINGS);
    const decoder = new SseDecoder();
    const translator = geminiAdapter.chatStream(SETTINGS);
    const chunks = decoder.push(await (await send(gemini, call)).text()).flatMap((event) => translator.push(event));
    chunks.push(...translator.end());
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('[provider-sim same] Tell me about the simulator');
    expect(chunks[chunks.length - 1].usage).toEqual({ prompt_tokens: 14, completion_tokens: 7, total_tokens: 21 });

    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];
    const ask = { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Paris' }], tools } as OpenAIChatRequest;
    const first = geminiAdapter.chatResponse(await (await send(gemini, geminiAdapter.chatRequest(ask, SETTINGS).call)).json(), SETTINGS);
    expect(first.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { content: null, tool_calls: [{ id: 'call_0', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] } });
    const followUp = {
      ...ask,
      messages: [...ask.messages, first.choices[0].message, { role: 'tool', tool_call_id: 'call_0', content: 'sunny' }],
    } as OpenAIChatRequest;
    const second = geminiAdapter.chatResponse(await (await send(gemini, geminiAdapter.chatRequest(followUp, SETTINGS).call)).json(), SETTINGS);
    expect(second.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: '[provider-sim same] tool result: sunny' } });
  });
});

describe('the Gemini description against provider-sim --protocol gemini', () => {
  let sim: ProviderSim;

  simForSuite({ name: 'desc', protocol: 'gemini', apiKey: KEY }, (started) => (sim = started));

  async function send(call: { method: string; path: string; query?: Record<string, string>; headers: Record<string, string>; body?: unknown }) {
    const query = call.query ? `?${new URLSearchParams(call.query)}` : '';
    return fetch(`${sim.url}${call.path}${query}`, { method: call.method, headers: { 'content-type': 'application/json', ...call.headers }, body: call.body === undefined ? undefined : JSON.stringify(call.body) });
  }

  it('probes healthy with the key and lists the model ids', async () => {
    const answer = await send(geminiProbe({ apiKey: KEY }));
    expect(answer.status).toBe(200);
    expect(geminiModelIds(await answer.json())).toEqual(['gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-embedding-001']);
    expect((await send(geminiProbe({ apiKey: 'wrong' }))).status).toBe(400);
  });

  it('embeds through the embeddings mappers', async () => {
    const settings = { model: 'gemini-embedding-001', apiKey: KEY };
    const { call } = geminiEmbeddings.request({ model: 'gemini-embedding-001', input: ['a', 'b'], dimensions: 4 }, settings);
    const answer = geminiEmbeddings.response(await (await send(call)).json(), settings);
    expect(answer.data.map((item) => [item.index, item.embedding.length])).toEqual([
      [0, 4],
      [1, 4],
    ]);
  });

  it("maps the sim's 503 and 429 answers to retryable and rate-limited errors", async () => {
    const settings = { model: 'gemini-2.5-flash', apiKey: KEY };
    const { call } = geminiAdapter.chatRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }] } as OpenAIChatRequest, settings);
    sim.setFault({ mode: 'error503', count: 1 });
    const overloaded = await send(call);
    expect(mapGeminiError(overloaded.status, await overloaded.json())).toMatchObject({ status: 503, type: 'upstream_error', code: 'unavailable' });
    sim.setFault({ mode: 'rate_limit', count: 1, retryAfterSeconds: 3 });
    const limited = await send(call);
    expect(mapGeminiError(limited.status, await limited.json())).toMatchObject({ status: 429, code: 'resource_exhausted', headers: { 'retry-after': '3' } });
  });
});

describe('startProviderSim protocol option', () => {
  it('refuses an unknown protocol and serves Gemini default models for gemini', async () => {
    await expect(startProviderSim({ protocol: 'grpc' as never })).rejects.toThrow('protocol must be one of');
    const sim = await startProviderSim({ protocol: 'gemini' });
    try {
      const health = await (await fetch(`${sim.url}/health`)).json();
      expect(health).toMatchObject({ protocol: 'gemini', models: ['gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-embedding-001'] });
    } finally {
      await sim.close();
    }
  });
});
