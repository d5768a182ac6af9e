import type { ServerResponse } from 'node:http';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { classifyUpstreamError } from './classify-upstream-error';
import { ProviderAnswerError, ProviderClient, ProviderHttpError } from './provider-client';
import { closeAfterEach, serveUpstream as serve, type Upstream } from './upstream-server.spec-helper';

const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const sse = (res: ServerResponse, events: { event?: string; data: unknown }[], end = true) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const e of events) res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${JSON.stringify(e.data)}\n\n`);
  if (end) res.end();
};
const request = { model: 'claude-sonnet-4-5', messages: [{ role: 'user' as const, content: 'hello' }] };

async function collect(stream: AsyncGenerator<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const anthropicMessage = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5',
  content: [{ type: 'text', text: 'Hi there' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 3, cache_read_input_tokens: 4 },
};

describe('ProviderClient over each protocol', () => {
  let server: Upstream;
  let client: ProviderClient | undefined;
  closeAfterEach(() => ({ client, server }));

  describe('anthropic', () => {
    it('posts /v1/messages with the version header and the key as the current SDK sends it, and answers an OpenAI completion', async () => {
      server = await serve((_req, res) => json(res, 200, anthropicMessage));
      // stored with `/v1` for the OpenAI-compatibility endpoint: still reaches /v1/messages
      client = new ProviderClient({ providerType: 'anthropic', baseUrl: `${server.url}/v1`, apiKey: 'sk-ant', settings: { defaultMaxTokens: 777 } });
      const completion = await client.chatCompletion({ ...request, stream: false });
      expect(completion.choices[0].message.content).toBe('Hi there');
      expect(completion.choices[0].finish_reason).toBe('stop');
      expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(4);
      const [seen] = server.seen;
      expect(seen.url).toBe('/v1/messages');
      expect(seen.headers['anthropic-version']).toBe('2026-10-21');
      expect(seen.headers.authorization).toBe('Bearer sk-ant');
      expect(JSON.parse(seen.body)).toMatchObject({ model: 'claude-sonnet-4-5', max_tokens: 777 });
    });

    it('sends x-api-key on 2023-06-01', async () => {
      server = await serve((_req, res) => json(res, 200, anthropicMessage));
      client = new ProviderClient({ providerType: 'anthropic', baseUrl: server.url, apiKey: 'sk-ant', settings: { anthropicVersion: '2023-06-01' } });
      await client.chatCompletion({ ...request, stream: false });
      expect(server.seen[0].headers['x-api-key']).toBe('sk-ant');
      expect(server.seen[0].headers['anthropic-version']).toBe('2023-06-01');
    });

    it('refuses an unknown anthropic-version when configured, not on the first request', () => {
      expect(() => new ProviderClient({ providerType: 'anthropic', baseUrl: 'http://127.0.0.1:1', apiKey: 'k', settings: { anthropicVersion: '1999-01-01' } })).toThrow('anthropic-version');
    });

    it('maps overloaded_error (529) to a retryable failure with its status', async () => {
      server = await serve((_req, res) => json(res, 529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }));
      client = new ProviderClient({ providerType: 'anthropic', baseUrl: server.url, apiKey: 'sk-ant' });
      const error = await client.chatCompletion({ ...request, stream: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderHttpError);
      expect(classifyUpstreamError(error)).toMatchObject({ kind: 'retryable', status: 529, code: 'overloaded', message: 'Overloaded' });
    });

    it('translates the event stream into OpenAI chunks ending with usage', async () => {
      server = await serve((_req, res) =>
        sse(res, [
          { event: 'message_start', data: { type: 'message_start', message: { ...anthropicMessage, content: [], stop_reason: null, usage: { input_tokens: 10, output_tokens: 0 } } } },
          { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
          { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } } },
          { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
          { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } } },
          { event: 'message_stop', data: { type: 'message_stop' } },
        ]),
      );
      client = new ProviderClient({ providerType: 'anthropic', baseUrl: server.url, apiKey: 'sk-ant' });
      const chunks = await collect(await client.chatCompletionStream({ ...request, stream: true }));
      expect(server.seen[0].headers.accept).toBe('text/event-stream');
      expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('Hi');
      expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 2 });
    });

    it('ends a stream with the error an `error` event carries', async () => {
      server = await serve((_req, res) =>
        sse(res, [
          { event: 'message_start', data: { type: 'message_start', message: { ...anthropicMessage, content: [], stop_reason: null } } },
          { event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } },
        ]),
      );
      client = new ProviderClient({ providerType: 'anthropic', baseUrl: server.url, apiKey: 'sk-ant' });
      const error = await collect(await client.chatCompletionStream({ ...request, stream: true })).catch((e: unknown) => e);
      expect(classifyUpstreamError(error)).toMatchObject({ kind: 'retryable', status: 529 });
    });

    it('probes GET /v1/models with its headers', async () => {
      server = await serve((_req, res) => json(res, 200, { data: [{ id: 'claude-sonnet-4-5', type: 'model' }], has_more: false }));
      client = new ProviderClient({ providerType: 'anthropic', baseUrl: server.url, apiKey: 'sk-ant' });
      expect(await client.listModels()).toEqual(['claude-sonnet-4-5']);
      expect(server.seen[0].url).toMatch(/^\/v1\/models\?/);
      expect(server.seen[0].headers['anthropic-version']).toBe('2026-10-21');
    });
  });

  describe('anthropic pass-through (the Messages API untranslated)', () => {
    // spacing, key order and escapes a re-serialization would change
    const raw = Buffer.from('{ "model":"claude-sonnet-4-5",\n "max_tokens": 1e2, "messages":[{"role":"user","content":"caf\\u00e9 ☕"}],"cache_control":{"type":"ephemeral"} }', 'utf8');

    it('posts the body byte for byte with the client\'s version and beta, the instance key as that version sends it, and answers as Anthropic did', async () => {
      const answer = JSON.stringify(anthropicMessage, null, 1);
      server = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(answer));
      client = new ProviderClient({ providerType: 'anthropic', baseUrl: server.url, apiKey: 'sk-ant', settings: { anthropicVersion: '2026-10-21' } });
      const passed = await client.anthropicPassThrough({ endpoint: 'messages', body: raw, anthropicVersion: '2023-06-01', anthropicBeta: 'prompt-caching-2024-07-31,files-api-2025-04-14' });
      expect(passed.text).toBe(answer);
      expect(passed.body).toEqual(anthropicMessage);
      const [seen] = server.seen;
      expect([seen.method, seen.url, seen.body]).toEqual(['POST', '/v1/messages', raw.toString('utf8')]);
      expect(seen.headers).toMatchObject({ 'anthropic-version': '2023-06-01', 'anthropic-beta': 'prompt-caching-2024-07-31,files-api-2025-04-14', 'x-api-key': 'sk-ant', 'content-type': 'application/json', accept: 'application/json' });
      expect(seen.headers.authorization).toBeUndefined();
    });

    it("takes the instance's version when the client sent none, and sends no beta", async () => {
      server = await serve((_req, res) => json(res, 200, { input_tokens: 42 }));
      client = new ProviderClient({ providerType: 'anthropic', baseUrl: server.url, apiKey: 'sk-ant' });
      expect((await client.anthropicPassThrough({ endpoint: 'countTokens', body: raw })).body).toEqual({ input_tokens: 42 });
      expect(server.seen[0].url).toBe('/v1/messages/count_tokens');
      expect(server.seen[0].headers).toMatchObject({ 'anthropic-version': '2026-10-21', authorization: 'Bearer sk-ant' });
      expect(server.seen[0].headers['anthropic-beta']).toBeUndefined();
    });

    it("fails with Anthropic's status and message: 529 retryable, 400 the client's", async () => {
      let status = 529;
      server = await serve((_req, res) => json(res, status, { type: 'error', error: { type: status === 529 ? 'overloaded_error' : 'invalid_request_error', message: `said ${status}` } }));
      client = new ProviderClient({ providerType: 'anthropic', baseUrl: server.url, apiKey: 'sk-ant' });
      const overloaded = await client.anthropicPassThrough({ endpoint: 'messages', body: raw }).catch((e: unknown) => e);
      expect(classifyUpstreamError(overloaded)).toMatchObject({ kind: 'retryable', status: 529, message: 'said 529' });
      status = 400;
      const refused = await client.anthropicPassThrough({ endpoint: 'messages', body: raw }).catch((e: unknown) => e);
      expect(classifyUpstreamError(refused)).toMatchObject({ kind: 'client_error', status: 400, message: 'said 400' });
    });

    it('yields the stream events as they came, ping and unknown events included', async () => {
      const events = [
        { event: 'message_start', data: { type: 'message_start', message: { ...anthropicMessage, content: [] } } },
        { event: 'ping', data: { type: 'ping' } },
        { event: 'some_future_event', data: { type: 'some_future_event', x: 1 } },
        { event: 'message_stop', data: { type: 'message_stop' } },
      ];
      server = await serve((_req, res) => sse(res, events));
      client = new ProviderClient({ providerType: 'anthropic', baseUrl: server.url, apiKey: 'sk-ant' });
      const received = [];
      for await (const event of await client.anthropicPassThroughStream({ endpoint: 'messages', body: raw })) received.push(event);
      expect(received).toEqual(events.map((e) => ({ event: e.event, data: JSON.stringify(e.data) })));
      expect(server.seen[0].headers.accept).toBe('text/event-stream');
      expect(server.seen[0].body).toBe(raw.toString('utf8'));
    });

    it('times out a stream that sends no first event', async () => {
      server = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).flushHeaders());
      client = new ProviderClient({ providerType: 'anthropic', baseUrl: server.url, apiKey: 'sk-ant', timeoutMs: 200 });
      const stream = await client.anthropicPassThroughStream({ endpoint: 'messages', body: raw });
      const error = await stream.next().catch((e: unknown) => e);
      expect(classifyUpstreamError(error)).toMatchObject({ kind: 'retryable', timedOut: true });
    });

    it('is refused by an instance of another protocol', async () => {
      server = await serve((_req, res) => json(res, 200, {}));
      client = new ProviderClient({ providerType: 'openai', baseUrl: server.url, apiKey: 'sk' });
      await expect(client.anthropicPassThrough({ endpoint: 'messages', body: raw })).rejects.toThrow(/do not speak Anthropic/);
      expect(server.seen).toHaveLength(0);
    });
  });

  describe('gemini', () => {
    it('posts generateContent with x-goog-api-key and no key in the URL', async () => {
      server = await serve((_req, res) =>
        json(res, 200, {
          candidates: [{ content: { role: 'model', parts: [{ text: 'Hello' }] }, finishReason: 'STOP', index: 0 }],
          usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 1, totalTokenCount: 6 },
          modelVersion: 'gemini-2.5-flash',
        }),
      );
      client = new ProviderClient({ providerType: 'gemini', baseUrl: server.url, apiKey: 'g-key' });
      const completion = await client.chatCompletion({ ...request, model: 'gemini-2.5-flash', stream: false });
      expect(completion.choices[0].message.content).toBe('Hello');
      expect(completion.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 1 });
      expect(server.seen[0].url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
      expect(server.seen[0].headers['x-goog-api-key']).toBe('g-key');
    });

    it('maps RESOURCE_EXHAUSTED to a rate limit with its retry delay', async () => {
      server = await serve((_req, res) =>
        json(res, 429, { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'quota', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }] } }),
      );
      client = new ProviderClient({ providerType: 'gemini', baseUrl: server.url, apiKey: 'g-key' });
      const error = await client.chatCompletion({ ...request, model: 'gemini-2.5-flash', stream: false }).catch((e: unknown) => e);
      expect(classifyUpstreamError(error, 0)).toMatchObject({ kind: 'rate_limited', status: 429, code: 'resource_exhausted', retryAfterMs: 7000 });
    });

    it('refuses what Gemini cannot take as the client\'s 400, or with drop_params drops it and reports it', async () => {
      server = await serve((_req, res) => json(res, 200, { candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP', index: 0 }] }));
      client = new ProviderClient({ providerType: 'gemini', baseUrl: server.url, apiKey: 'g-key' });
      const body = { ...request, model: 'gemini-2.5-flash', stream: false as const, logit_bias: { '1': 1 } };
      const refused = await client.chatCompletion(body).catch((e: unknown) => e);
      expect(classifyUpstreamError(refused)).toMatchObject({ kind: 'client_error', status: 400, code: 'unsupported_parameter', param: 'logit_bias' });
      expect(server.seen).toHaveLength(0);
      const dropped: string[] = [];
      await client.chatCompletion({ ...body, drop_params: true } as typeof body, undefined, (names) => dropped.push(...names));
      expect(dropped).toEqual(['logit_bias']);
      expect(server.seen[0].body).not.toContain('logit_bias');
      expect(server.seen[0].body).not.toContain('drop_params');
    });

    it('probes GET /v1beta/models', async () => {
      server = await serve((_req, res) => json(res, 200, { models: [{ name: 'models/gemini-2.5-flash' }] }));
      client = new ProviderClient({ providerType: 'gemini', baseUrl: server.url, apiKey: 'g-key' });
      expect(await client.listModels()).toEqual(['gemini-2.5-flash']);
      expect(server.seen[0].url).toMatch(/^\/v1beta\/models/);
    });
  });

  describe('azure-openai', () => {
    const completion = { id: 'c1', object: 'chat.completion', created: 1, model: 'gpt-4o', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }] };

    it('uses the v1 API with the deployment as model and the api-key header', async () => {
      server = await serve((_req, res) => json(res, 200, completion));
      client = new ProviderClient({ providerType: 'azure-openai', baseUrl: server.url, apiKey: 'az', settings: { deployments: { 'gpt-4o': 'prod-4o' } } });
      await client.chatCompletion({ ...request, model: 'gpt-4o', stream: false });
      expect(server.seen[0].url).toBe('/openai/v1/chat/completions');
      expect(server.seen[0].headers['api-key']).toBe('az');
      expect(server.seen[0].headers.authorization).toBeUndefined();
      expect(JSON.parse(server.seen[0].body).model).toBe('prod-4o');
    });

    it('uses the deployments form with a dated api-version', async () => {
      server = await serve((_req, res) => json(res, 200, completion));
      client = new ProviderClient({ providerType: 'azure-openai', baseUrl: server.url, apiKey: 'az', settings: { apiVersion: '2024-10-21', deployments: { 'gpt-4o': 'prod-4o' } } });
      await client.chatCompletion({ ...request, model: 'gpt-4o', stream: false });
      expect(server.seen[0].url).toBe('/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21');
    });
  });

  describe('openai-protocol presets', () => {
    it('sends the preset headers with the Bearer key', async () => {
      server = await serve((_req, res) => json(res, 200, { data: [] }));
      client = new ProviderClient({ providerType: 'openrouter', baseUrl: `${server.url}/api/v1`, apiKey: 'or' });
      await client.listModels();
      expect(server.seen[0].url).toBe('/api/v1/models');
      expect(server.seen[0].headers.authorization).toBe('Bearer or');
      expect(server.seen[0].headers['x-title']).toBe('ISH Chat');
    });

    it('reaches Ollama without a key', async () => {
      server = await serve((_req, res) => json(res, 200, { data: [{ id: 'llama3.2' }] }));
      client = new ProviderClient({ providerType: 'ollama', baseUrl: `${server.url}/v1` });
      expect(await client.listModels()).toEqual(['llama3.2']);
      expect(server.seen[0].headers.authorization).toBeUndefined();
    });
  });

  it('names the provider when a 2xx answer cannot be read, and fails over (no status)', async () => {
    server = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('<html>oops</html>'));
    client = new ProviderClient({ providerType: 'gemini', baseUrl: server.url, apiKey: 'g-key' });
    const error = await client.chatCompletion({ ...request, model: 'gemini-2.5-flash', stream: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderAnswerError);
    expect((error as Error).message).toMatch(/^Gemini answered a chat completion that cannot be read/);
    expect(classifyUpstreamError(error).kind).toBe('retryable');
  });

  it('never repeats the key from an unreadable answer', async () => {
    server = await serve((_req, res) => res.writeHead(200).end('echo sk-secret-123'));
    client = new ProviderClient({ providerType: 'openai', baseUrl: server.url, apiKey: 'sk-secret-123' });
    const error = await client.chatCompletion({ ...request, stream: false }).catch((e: unknown) => e);
    expect((error as Error).message).not.toContain('sk-secret-123');
  });
});
