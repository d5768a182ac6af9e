import { classifyUpstreamError } from './classify-upstream-error';
import { DEFAULT_PROVIDER_TIMEOUT_MS, ProviderAbortError, ProviderClient, ProviderHttpError, ProviderTimeoutError } from './provider-client';
import { OutboundAddressRefusedError } from '@ish/platform';
import { ProviderConfigError } from './provider-specs';
import { closeAfterEach, serveUpstream, type Upstream, type UpstreamHandler } from './upstream-server.spec-helper';

/** the provider's base URL ends in /v1, as OpenAI-compatible instances store it */
const serve = (handler: UpstreamHandler) => serveUpstream(handler, '/v1');

const completion = { id: 'c1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }] };
const request = { model: 'm', messages: [{ role: 'user' as const, content: 'hello' }] };
const chunk = (content: string) => ({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] });

describe('ProviderClient', () => {
  let server: Upstream;
  let client: ProviderClient | undefined;
  closeAfterEach(() => ({ client, server }));

  const connect = (options: Partial<ConstructorParameters<typeof ProviderClient>[0]> = {}) =>
    (client = new ProviderClient({ providerType: 'openai-compatible', baseUrl: server.url, ...options }));

  it('posts the completion with the key, the provider headers and JSON, and returns the answer', async () => {
    server = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion)));
    const answer = await connect({ providerType: 'zai', apiKey: 'zai-secret' }).chatCompletion({ ...request, stream: false });
    expect(answer).toEqual(completion);
    const [call] = server.seen;
    expect([call.method, call.url]).toEqual(['POST', '/v1/chat/completions']);
    expect(call.headers).toMatchObject({ authorization: 'Bearer zai-secret', 'accept-language': 'en-US,en', 'content-type': 'application/json', accept: 'application/json' });
    expect(JSON.parse(call.body)).toEqual({ ...request, stream: false });
  });

  it('sends no Authorization header to a keyless server, and reuses one connection', async () => {
    const sockets = new Set<unknown>();
    server = await serve((req, res) => {
      sockets.add(req.socket);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion));
    });
    const provider = connect();
    for (let i = 0; i < 3; i++) await provider.chatCompletion({ ...request, stream: false });
    expect(server.seen.every((call) => call.headers.authorization === undefined)).toBe(true);
    expect(sockets.size).toBe(1);
  });

  it('turns an error answer into ProviderHttpError with the upstream message, code and headers', async () => {
    server = await serve((_req, res) =>
      res
        .writeHead(429, { 'content-type': 'application/json', 'retry-after': '3' })
        .end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'rate_limit_error', code: 'rate_limit_exceeded' } })),
    );
    const error = await connect().chatCompletion({ ...request, stream: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded', message: 'Rate limit reached' });
    expect(classifyUpstreamError(error, 0)).toEqual({ kind: 'rate_limited', status: 429, message: 'Rate limit reached', code: 'rate_limit_exceeded', retryAfterMs: 3000 });
  });

  it('reads an error answer that is not JSON by its text', async () => {
    server = await serve((_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>'));
    await expect(connect().chatCompletion({ ...request, stream: false })).rejects.toMatchObject({ status: 502, message: '<html>bad gateway</html>' });
  });

  it('refuses a 200 that is not JSON as a failed call', async () => {
    server = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id": "c1", oops'));
    const error = await connect().chatCompletion({ ...request, stream: false }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/not JSON/);
    expect(classifyUpstreamError(error).kind).toBe('retryable');
  });

  it('gives up after the timeout with ProviderTimeoutError and closes the connection', async () => {
    server = await serve(() => undefined);
    const error = await connect({ timeoutMs: 100 }).chatCompletion({ ...request, stream: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderTimeoutError);
    expect(classifyUpstreamError(error)).toMatchObject({ kind: 'retryable', timedOut: true });
    await waitUntil(() => server.closed.length === 1);
  });

  it('times out a body that stops half way', async () => {
    server = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).write('{"id":'));
    await expect(connect({ timeoutMs: 100 }).chatCompletion({ ...request, stream: false })).rejects.toBeInstanceOf(ProviderTimeoutError);
  });

  it('stops when the signal fires, with ProviderAbortError, also before sending', async () => {
    server = await serve(() => undefined);
    const controller = new AbortController();
    const call = connect().chatCompletion({ ...request, stream: false }, controller.signal);
    await waitUntil(() => server.seen.length === 1);
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(ProviderAbortError);
    await waitUntil(() => server.closed.length === 1);
    await expect(connect().chatCompletion({ ...request, stream: false }, AbortSignal.abort())).rejects.toBeInstanceOf(ProviderAbortError);
    expect(server.seen).toHaveLength(1);
  });

  it('refuses a connection error as retryable', async () => {
    server = await serve(() => undefined);
    const url = server.url;
    await server.close();
    const error = await new ProviderClient({ providerType: 'openai-compatible', baseUrl: url }).chatCompletion({ ...request, stream: false }).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
    expect(classifyUpstreamError(error).kind).toBe('retryable');
  });

  describe('streaming', () => {
    it('yields the chunks of the event stream, however the bytes are split, until [DONE]', async () => {
      const wire = `data: ${JSON.stringify(chunk('Hel'))}\r\n\r\n: keep-alive\n\ndata: ${JSON.stringify(chunk('lo ✓'))}\n\ndata: [DONE]\n\n`;
      server = await serve(async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        // byte by byte: lines, CRLF pairs and the UTF-8 of ✓ are all cut
        for (const byte of Buffer.from(wire)) {
          res.write(Buffer.from([byte]));
          await new Promise((resolve) => setImmediate(resolve));
        }
        res.end();
      });
      const stream = await connect().chatCompletionStream({ ...request, stream: true });
      const contents: string[] = [];
      for await (const part of stream) contents.push(part.choices[0].delta.content!);
      expect(contents).toEqual(['Hel', 'lo ✓']);
      expect(server.seen[0].headers.accept).toBe('text/event-stream');
    });

    it('answers an HTTP error before the stream as ProviderHttpError', async () => {
      server = await serve((_req, res) => res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'overloaded' } })));
      await expect(connect().chatCompletionStream({ ...request, stream: true })).rejects.toMatchObject({ status: 503, message: 'overloaded' });
    });

    it('throws an error event inside the stream', async () => {
      server = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`data: ${JSON.stringify(chunk('a'))}\n\ndata: {"error":{"message":"model crashed"}}\n\n`);
      });
      const stream = await connect().chatCompletionStream({ ...request, stream: true });
      await expect(stream.next()).resolves.toMatchObject({ done: false });
      await expect(stream.next()).rejects.toThrow('model crashed');
    });

    it('times out until the first event only', async () => {
      server = await serve(async (req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        if (req.url?.includes('never')) return void res.flushHeaders();
        res.write(`data: ${JSON.stringify(chunk('a'))}\n\n`);
        await new Promise((resolve) => setTimeout(resolve, 300));
        res.end(`data: ${JSON.stringify(chunk('b'))}\n\ndata: [DONE]\n\n`);
      });
      const slow = await connect({ timeoutMs: 100 }).chatCompletionStream({ ...request, stream: true });
      const contents: string[] = [];
      for await (const part of slow) contents.push(part.choices[0].delta.content!);
      expect(contents).toEqual(['a', 'b']);

      client = new ProviderClient({ providerType: 'openai-compatible', baseUrl: `${server.url}/never`, timeoutMs: 100 });
      const silent = await client.chatCompletionStream({ ...request, stream: true });
      await expect(silent.next()).rejects.toBeInstanceOf(ProviderTimeoutError);
    });

    it('closes the connection when the reader stops early or the signal fires', async () => {
      server = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`data: ${JSON.stringify(chunk('a'))}\n\n`);
      });
      const early = await connect().chatCompletionStream({ ...request, stream: true });
      await early.next();
      await early.return(undefined);
      await waitUntil(() => server.closed.length === 1);

      const controller = new AbortController();
      const aborted = await connect().chatCompletionStream({ ...request, stream: true }, controller.signal);
      await aborted.next();
      const pending = aborted.next();
      controller.abort();
      await expect(pending).rejects.toBeInstanceOf(ProviderAbortError);
      await waitUntil(() => server.closed.length === 2);
    });
  });

  it('closeIdle closes the idle connections and lets a request in flight finish', async () => {
    let release: () => void = () => undefined;
    server = await serve((req, res) => {
      const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion));
      if (req.url?.includes('slow')) release = answer;
      else answer();
    });
    const provider = connect();
    await provider.chatCompletion({ ...request, stream: false });
    const slowClient = new ProviderClient({ providerType: 'openai-compatible', baseUrl: `${server.url}/slow` });
    const inFlight = slowClient.chatCompletion({ ...request, stream: false });
    await waitUntil(() => server.seen.length === 2);
    expect(server.connections).toEqual({ open: 2, closed: 0 });
    provider.closeIdle();
    slowClient.closeIdle();
    // the idle one is gone, the busy one stays
    await waitUntil(() => server.connections.closed === 1);
    release();
    await expect(inFlight).resolves.toEqual(completion);
    slowClient.close();
  });

  it('lists models, and reads GET /models errors like any other', async () => {
    server = await serve((req, res) => {
      if (req.url === '/v1/models') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'a' }, { id: 'b' }, {}] }));
      else res.writeHead(404).end();
    });
    expect(await connect().listModels()).toEqual(['a', 'b']);
    client = new ProviderClient({ providerType: 'openai-compatible', baseUrl: `${server.url}/other` });
    await expect(client.listModels()).rejects.toMatchObject({ status: 404 });
  });

  describe('configuration', () => {
    it('defaults the timeout to 60 s and rounds fractions up', () => {
      expect(new ProviderClient({ providerType: 'openai', apiKey: 'k' }).timeoutMs).toBe(DEFAULT_PROVIDER_TIMEOUT_MS);
      expect(new ProviderClient({ providerType: 'openai', apiKey: 'k', timeoutMs: 10.2 }).timeoutMs).toBe(11);
    });

    it.each([0, -1, Number.NaN])('refuses timeout %p', (timeoutMs) => {
      expect(() => new ProviderClient({ providerType: 'openai', apiKey: 'k', timeoutMs })).toThrow(ProviderConfigError);
    });

    it('takes the provider default base URL (provider-specs) when the instance has none', () => {
      expect(new ProviderClient({ providerType: 'groq', apiKey: 'k' }).baseUrl).toBe('https://api.groq.com/openai/v1');
    });

    it('uses the instance base URL without its trailing slash', () => {
      expect(new ProviderClient({ providerType: 'openai', apiKey: 'k', baseUrl: 'http://127.0.0.1:9100/v1/' }).baseUrl).toBe('http://127.0.0.1:9100/v1');
    });

    it('refuses a hosted provider without a key, a blank key, no base URL, or a base URL that is not http(s)', () => {
      expect(() => new ProviderClient({ providerType: 'openai' })).toThrow('OpenAI instances need an API key');
      expect(() => new ProviderClient({ providerType: 'perplexity', apiKey: '  ' })).toThrow(ProviderConfigError);
      expect(() => new ProviderClient({ providerType: 'openai-compatible', apiKey: 'k' })).toThrow('need a base URL');
      expect(() => new ProviderClient({ providerType: 'openai-compatible', baseUrl: 'ftp://models/v1' })).toThrow('http or https');
    });
  });
});

describe('ProviderClient outbound addresses', () => {
  let server: Upstream;
  let client: ProviderClient | undefined;
  closeAfterEach(() => ({ client, server }));
  const port = () => new URL(server.url).port;
  const models = { object: 'list', data: [{ id: 'm' }] };

  it.each(['http://169.254.169.254/v1', 'http://[fe80::1]/v1', 'http://[64:ff9b::a9fe:a9fe]/v1', 'http://169.254.169.254./v1', 'http://100.100.100.200/v1'])(
    'refuses the metadata / link-local base URL %s before any connection',
    (baseUrl) => {
      expect(() => new ProviderClient({ providerType: 'openai-compatible', baseUrl })).toThrow(OutboundAddressRefusedError);
      expect(() => new ProviderClient({ providerType: 'openai-compatible', baseUrl })).toThrow(/link-local or cloud-metadata/);
    },
  );

  it('refuses a host name that resolves to the metadata address, without connecting', async () => {
    const resolve = jest.fn(async () => [{ address: '169.254.169.254', family: 4 }]);
    client = new ProviderClient({ providerType: 'openai-compatible', baseUrl: 'http://metadata-alias.example.com/v1', resolve });
    await expect(client.listModels()).rejects.toThrow(/^refused: metadata-alias.example.com resolves to 169.254.169.254 is a link-local or cloud-metadata address/);
    expect(resolve).toHaveBeenCalledWith('metadata-alias.example.com');
  });

  it('reaches loopback and private instances only while private networks are allowed (the default)', async () => {
    server = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(models)));
    client = new ProviderClient({ providerType: 'openai-compatible', baseUrl: server.url });
    expect(await client.listModels()).toEqual(['m']);
    expect(() => new ProviderClient({ providerType: 'openai-compatible', baseUrl: server.url, allowPrivateNetworks: false })).toThrow(/private or loopback address \(PROVIDER_ALLOW_PRIVATE_NETWORKS is off\)/);
    const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    const named = new ProviderClient({ providerType: 'openai-compatible', baseUrl: `http://vllm.lan:${port()}/v1`, allowPrivateNetworks: false, resolve });
    await expect(named.listModels()).rejects.toThrow(/refused: vllm.lan resolves to 127.0.0.1/);
    named.close();
    expect(server.seen).toHaveLength(1);
  });

  it('resolves and checks once per connection, not per request, and connects to what it checked', async () => {
    server = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(models)));
    const resolve = jest.fn(async () => [{ address: '127.0.0.1', family: 4 }]);
    client = new ProviderClient({ providerType: 'openai-compatible', baseUrl: `http://provider.test.:${port()}/v1`, resolve });
    for (let i = 0; i < 3; i++) expect(await client.listModels()).toEqual(['m']);
    expect(resolve).toHaveBeenCalledTimes(1);
    // the trailing dot is one spelling of the same host
    expect(resolve).toHaveBeenCalledWith('provider.test');
    expect(server.seen.map((r) => r.headers.host)).toEqual(Array(3).fill(`provider.test:${port()}`));
    expect(server.connections.open).toBe(1);
  });

  it('never repeats the key, headers or our addresses from an upstream error', async () => {
    server = await serve((req, res) =>
      res.writeHead(400, { 'content-type': 'text/plain' }).end(`bad request from ${req.socket.remoteAddress} to http://${req.headers.host}${req.url}\nAuthorization: ${req.headers.authorization}\n${'x'.repeat(5000)}`),
    );
    client = new ProviderClient({ providerType: 'openai-compatible', baseUrl: server.url, apiKey: 'custom-upstream-key-42' });
    const error = (await client.listModels().catch((e: unknown) => e)) as ProviderHttpError;
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect(error.message).toMatch(/^bad request from \[address\] to \[url\] Authorization: \[redacted\]/);
    expect(error.message).not.toMatch(/custom-upstream-key-42|127\.0\.0\.1/);
    expect(error.message.length).toBeLessThanOrEqual(300);
    expect(classifyUpstreamError(error).message).toBe(error.message);
  });

  it('passes a provider 4xx message through, without our key when the body repeats it', async () => {
    server = await serve((_req, res) =>
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Incorrect API key provided: custom-upstream-key-42.', code: 'invalid_api_key' } })),
    );
    client = new ProviderClient({ providerType: 'openai-compatible', baseUrl: server.url, apiKey: 'custom-upstream-key-42' });
    const failure = classifyUpstreamError(await client.listModels().catch((e: unknown) => e));
    expect(failure).toEqual(expect.objectContaining({ kind: 'client_error', status: 401, code: 'invalid_api_key', message: 'Incorrect API key provided: [redacted].' }));
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
