import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, AzureOpenAI } from 'openai';
import { ProviderSim, startProviderSim } from './index';
import { caught, simForSuite } from './sim-suite.spec-helper';

const USER_TEXT = 'Tell me about   the simulator';
const MESSAGES = [
  { role: 'system' as const, content: 'You are terse.' },
  { role: 'user' as const, content: USER_TEXT },
];

function client(sim: ProviderSim, options: { apiKey?: string; timeout?: number } = {}): OpenAI {
  return new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: options.apiKey ?? 'x', maxRetries: 0, timeout: options.timeout ?? 5_000 });
}

describe('provider-sim with the official openai SDK', () => {
  let sim: ProviderSim;
  let openai: OpenAI;

  simForSuite({ name: 'sim-test' }, (started) => {
    sim = started;
    openai = client(sim);
  });

  it('lists the configured models', async () => {
    const page = await openai.models.list();
    expect(page.data.map((m) => m.id)).toEqual(['gpt-4o', 'gpt-4o-mini', 'sim-small', 'text-embedding-3-small']);
    expect(page.data[0]).toMatchObject({ object: 'model', owned_by: 'provider-sim' });
    expect(sim.stats().models).toBe(1);
  });

  it('answers a chat completion deterministically, labelled as the simulator', async () => {
    const { data, response } = await openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }).withResponse();
    expect(response.headers.get('x-provider-sim')).toBe('sim-test');
    expect(data).toMatchObject({ object: 'chat.completion', model: 'gpt-4o', system_fingerprint: 'provider-sim' });
    expect(data.id).toMatch(/^chatcmpl-/);
    expect(data.choices[0].message).toMatchObject({ role: 'assistant', content: `[provider-sim sim-test] ${USER_TEXT}` });
    expect(data.choices[0].finish_reason).toBe('stop');
    // 3 + 5 words, 3 tokens per message; 7 words of reply
    expect(data.usage).toEqual({ prompt_tokens: 14, completion_tokens: 7, total_tokens: 21 });
  });

  it('cuts the reply to max_tokens words with finish_reason length', async () => {
    const completion = await openai.chat.completions.create({ model: 'sim-small', messages: MESSAGES, max_tokens: 3 });
    expect(completion.choices[0].message.content).toBe('[provider-sim sim-test] Tell');
    expect(completion.choices[0].finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(3);
  });

  it('streams the same text as the non-streamed reply, with a usage chunk', async () => {
    const whole = await openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES });
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    let finishReason: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      if (chunk.choices.length > 0) {
        if (chunk.choices[0].delta.content) deltas.push(chunk.choices[0].delta.content);
        finishReason = chunk.choices[0].finish_reason ?? finishReason;
      } else {
        usage = chunk.usage;
      }
    }
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(whole.choices[0].message.content);
    expect(finishReason).toBe('stop');
    expect(usage).toEqual(whole.usage);
    expect(sim.stats()).toMatchObject({ chatCompletions: 2, streamed: 1 });
  });

  it('rejects an unknown model with 404 model_not_found', async () => {
    const error = await caught(openai.chat.completions.create({ model: 'nope', messages: MESSAGES }));
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 404, code: 'model_not_found', type: 'invalid_request_error', param: 'model' });
    expect((error as APIError).message).toContain('The model `nope` does not exist');
  });

  it('rejects empty messages and an out-of-range temperature with 400', async () => {
    await expect(openai.chat.completions.create({ model: 'gpt-4o', messages: [] })).rejects.toMatchObject({
      status: 400,
      param: 'messages',
    });
    await expect(openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES, temperature: 3 })).rejects.toMatchObject({
      status: 400,
      param: 'temperature',
    });
  });

  it.each([
    ['error500', 500],
    ['error503', 503],
  ] as const)('fault %s answers %i with a server_error', async (mode, status) => {
    sim.setFault({ mode });
    const error = await caught(openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }));
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status, type: 'server_error' });
    expect(sim.stats().errors).toBe(1);
  });

  it('fault rate_limit answers 429 with Retry-After', async () => {
    sim.setFault({ mode: 'rate_limit', retryAfterSeconds: 7 });
    const error = (await caught(openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }))) as APIError;
    expect(error).toMatchObject({ status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' });
    expect(error.headers?.get('retry-after')).toBe('7');
  });

  it('fault hang never answers, so the client times out', async () => {
    sim.setFault({ mode: 'hang' });
    const started = Date.now();
    const error = await caught(client(sim, { timeout: 300 }).chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }));
    // Plain node gives APIConnectionTimeoutError; under jest the AbortError comes from another realm, so the SDK
    // reports its parent class.
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // the client's abort closes the socket, which ends the request here
    await waitFor(() => sim.stats().inFlight === 0);
  });

  it('fault slow delays the answer by delayMs', async () => {
    sim.setFault({ mode: 'slow', delayMs: 300 });
    const started = Date.now();
    const completion = await openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(completion.choices[0].message.content).toContain('[provider-sim sim-test]');
  });

  it('fault malformed answers 200 with a body that is not JSON', async () => {
    sim.setFault({ mode: 'malformed' });
    await expect(openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES })).rejects.toMatchObject({
      name: 'SyntaxError',
    });
    sim.setFault({ mode: 'malformed' });
    const response = await fetch(`${sim.url}/v1/models`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    await expect(response.json()).rejects.toThrow(/JSON/);
  });

  it('fault drop resets the connection', async () => {
    sim.setFault({ mode: 'drop' });
    const error = await caught(openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('a counted fault reverts to normal after count requests', async () => {
    sim.setFault({ mode: 'error503', count: 2 });
    await expect(openai.models.list()).rejects.toMatchObject({ status: 503 });
    await expect(openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES })).rejects.toMatchObject({ status: 503 });
    await expect(openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES })).resolves.toBeDefined();
    expect(sim.stats()).toMatchObject({ chatCompletions: 2, models: 1, errors: 2 });
  });

  it('a callsOnly fault lets model listings (health probes) through without using its count', async () => {
    sim.setFault({ mode: 'error500', count: 1, callsOnly: true });
    await expect(openai.models.list()).resolves.toBeDefined();
    await expect(openai.models.list()).resolves.toBeDefined();
    await expect(openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES })).rejects.toMatchObject({ status: 500 });
    await expect(openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES })).resolves.toBeDefined();
    expect(() => sim.setFault({ mode: 'error500', callsOnly: 'yes' as unknown as boolean })).toThrow(/callsOnly must be a boolean/);
  });

  it('the SDK retries a counted fault and succeeds, each attempt counted as an upstream call', async () => {
    sim.setFault({ mode: 'rate_limit', count: 1, retryAfterSeconds: 0.05 });
    const retrying = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: 'x', maxRetries: 2 });
    await retrying.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES });
    expect(sim.stats().chatCompletions).toBe(2);
  });

  it('the x-sim-fault header faults only that request', async () => {
    sim.setFault({ mode: 'error500', count: 1 });
    const headers = { 'x-sim-fault': 'error503' };
    await expect(openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }, { headers })).rejects.toMatchObject({
      status: 503,
    });
    // the header did not consume the counted fault
    await expect(openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES })).rejects.toMatchObject({ status: 500 });
    await expect(openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES })).resolves.toBeDefined();
  });

  it('faults spare /health', async () => {
    sim.setFault({ mode: 'error500' });
    const response = await fetch(`${sim.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', simulator: true, name: 'sim-test' });
  });

  it('serves the API without the /v1 prefix too', async () => {
    const response = await fetch(`${sim.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: MESSAGES }),
    });
    expect(response.status).toBe(200);
    const completion = (await response.json()) as OpenAI.ChatCompletion;
    expect(completion.choices[0].message.content).toBe(`[provider-sim sim-test] ${USER_TEXT}`);
  });

  it('drives faults and stats through the control API', async () => {
    const set = await fetch(`${sim.url}/_sim/fault`, { method: 'POST', body: JSON.stringify({ mode: 'error503', count: 1 }) });
    expect(await set.json()).toEqual({ fault: { mode: 'error503', count: 1, remaining: 1 } });
    await expect(openai.models.list()).rejects.toMatchObject({ status: 503 });
    await openai.models.list();

    const bad = await fetch(`${sim.url}/_sim/fault`, { method: 'POST', body: JSON.stringify({ mode: 'explode' }) });
    expect(bad.status).toBe(400);
    const stats = await (await fetch(`${sim.url}/_sim/stats`)).json();
    expect(stats).toMatchObject({ models: 2, errors: 1, requests: 2, inFlight: 0 });

    await fetch(`${sim.url}/_sim/fault`, { method: 'POST', body: JSON.stringify({ mode: 'error500' }) });
    expect((await fetch(`${sim.url}/_sim/fault`, { method: 'DELETE' })).status).toBe(200);
    await openai.models.list();
    const reset = await (await fetch(`${sim.url}/_sim/reset`, { method: 'POST' })).json();
    expect(reset).toMatchObject({ requests: 0, models: 0, errors: 0 });
  });
});

describe('provider-sim with Azure OpenAI addressing', () => {
  let sim: ProviderSim;
  simForSuite({ name: 'azure-sim', apiKey: 'az-key' }, (started) => (sim = started));

  it("answers the official AzureOpenAI client's deployments form, the deployment being the model, with the api-key header", async () => {
    const azure = new AzureOpenAI({ endpoint: sim.url, apiKey: 'az-key', apiVersion: '2024-10-21', deployment: 'gpt-4o', maxRetries: 0 });
    const completion = await azure.chat.completions.create({ model: '', messages: MESSAGES });
    expect(completion.choices[0].message.content).toBe(`[provider-sim azure-sim] ${USER_TEXT}`);
    expect(sim.requests().at(-1)!.url).toBe('/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21');
    await expect(new AzureOpenAI({ endpoint: sim.url, apiKey: 'wrong', apiVersion: '2024-10-21', deployment: 'gpt-4o', maxRetries: 0 }).chat.completions.create({ model: '', messages: MESSAGES })).rejects.toMatchObject({ status: 401 });
  });

  it('answers the v1 API under /openai/v1 and lists models under /openai/models', async () => {
    const v1 = new OpenAI({ baseURL: `${sim.url}/openai/v1`, apiKey: 'x', defaultHeaders: { 'api-key': 'az-key' }, maxRetries: 0 });
    const completion = await v1.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
    expect(completion.model).toBe('gpt-4o-mini');
    const models = await fetch(`${sim.url}/openai/models?api-version=2024-10-21`, { headers: { 'api-key': 'az-key' } });
    expect(models.status).toBe(200);
  });
});

describe('provider-sim options', () => {
  it('requires the configured API key', async () => {
    const sim = await startProviderSim({ apiKey: 'secret' });
    try {
      await expect(client(sim, { apiKey: 'wrong' }).models.list()).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
      const completion = await client(sim, { apiKey: 'secret' }).chat.completions.create({ model: 'gpt-4o', messages: MESSAGES });
      expect(completion.choices[0].message.content).toContain('[provider-sim provider-sim]');
      expect((await fetch(`${sim.url}/health`)).status).toBe(200);
    } finally {
      await sim.close();
    }
  });

  it('counts requests per model and concurrency under latency', async () => {
    const sim = await startProviderSim({ latencyMs: 200, models: ['m-1', 'm-2'] });
    try {
      const openai = client(sim);
      const started = Date.now();
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          openai.chat.completions.create({ model: i % 2 === 0 ? 'm-1' : 'm-2', messages: [{ role: 'user', content: `n${i}` }] }),
        ),
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(200);
      expect(sim.stats()).toEqual({
        requests: 10,
        chatCompletions: 10,
        streamed: 0,
        models: 0,
        errors: 0,
        inFlight: 0,
        maxInFlight: 10,
        byModel: { 'm-1': 5, 'm-2': 5 },
        lastRequest: { model: expect.stringMatching(/^m-[12]$/), messages: 1 },
      });
    } finally {
      await sim.close();
    }
  });

  it('streams chunk by chunk with streamChunkDelayMs', async () => {
    const sim = await startProviderSim({ streamChunkDelayMs: 20, name: 'slowstream' });
    try {
      const started = Date.now();
      const stream = await client(sim).chat.completions.create({ model: 'gpt-4o', messages: MESSAGES, stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe(`[provider-sim slowstream] ${USER_TEXT}`);
      // role chunk, 7 words, finish chunk: 8 gaps before [DONE]... at least 8 * 20 ms
      expect(Date.now() - started).toBeGreaterThanOrEqual(160);
    } finally {
      await sim.close();
    }
  });

  it('close() ends promptly while a request hangs', async () => {
    const sim = await startProviderSim();
    sim.setFault({ mode: 'hang' });
    const pending = caught(client(sim, { timeout: 10_000 }).chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }));
    await waitFor(() => sim.stats().inFlight === 1);
    const started = Date.now();
    await sim.close();
    expect(Date.now() - started).toBeLessThan(500);
    expect(await pending).toBeInstanceOf(APIConnectionError);
  });

  it('rejects invalid options', async () => {
    await expect(startProviderSim({ models: [] })).rejects.toThrow(TypeError);
    await expect(startProviderSim({ latencyMs: -1 })).rejects.toThrow(TypeError);
    const sim = await startProviderSim();
    try {
      expect(() => sim.setFault({ mode: 'slow', count: 0 })).toThrow(TypeError);
    } finally {
      await sim.close();
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('condition not met');
}
