import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { AdapterSettings, OpenAIChatRequest, UpstreamCall } from '@ish/providers';
import { classifyUpstreamError, SseDecoder, anthropicAdapter, anthropicCountTokensCall, anthropicModelsCall, anthropicProbe, mapAnthropicError, parseAnthropicModels } from '@ish/providers';
import { ProviderSim, startProviderSim } from '../index';
import { simForSuite } from '../sim-suite.spec-helper';

const KEY = 'sk-ant-roundtrip';
const TOOLS = [
  { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
  { type: 'function' as const, function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } } },
];

/** What the transport will do with a mapped call: JSON over HTTP to the instance's base URL. */
async function send(sim: ProviderSim, call: UpstreamCall, extraHeaders: Record<string, string> = {}): Promise<Response> {
  const query = call.query ? `?${new URLSearchParams(call.query).toString()}` : '';
  return fetch(`${sim.url}${call.path}${query}`, {
    method: call.method,
    headers: { ...call.headers, ...extraHeaders, ...(call.body === undefined ? {} : { 'content-type': 'application/json' }), accept: call.stream ? 'text/event-stream' : 'application/json' },
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
  });
}

async function streamed(sim: ProviderSim, request: OpenAIChatRequest, settings: AdapterSettings, extraHeaders: Record<string, string> = {}): Promise<ChatCompletionChunk[]> {
  const { call } = anthropicAdapter.chatRequest({ ...request, stream: true }, settings);
  const response = await send(sim, call, extraHeaders);
  expect(response.status).toBe(200);
  const decoder = new SseDecoder();
  const translator = anthropicAdapter.chatStream(settings);
  const chunks: ChatCompletionChunk[] = [];
  for (const event of decoder.push(await response.text())) chunks.push(...translator.push(event));
  chunks.push(...translator.end());
  return chunks;
}

describe.each(['2026-10-21', '2023-06-01'])('the Anthropic adapter against provider-sim speaking anthropic-version %s', (version) => {
  let sim: ProviderSim;
  const settings: AdapterSettings = { model: 'claude-sonnet-5-5', apiKey: KEY, anthropicVersion: version };

  simForSuite({ name: 'sim-rt', protocol: 'anthropic', apiKey: KEY }, (started) => (sim = started));

  it('makes an instance healthy through its own probe, with the key sent as this version sends it', async () => {
    const response = await send(sim, anthropicProbe(settings));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: [{ id: 'claude-sonnet-5-5' }], has_more: true });
    expect(sim.requests()[0].headers).toMatchObject(version === '2023-06-01' ? { 'x-api-key': '[redacted]' } : { authorization: 'Bearer [redacted]' });
  });

  it('lists the models page by page', async () => {
    const ids: string[] = [];
    let afterId: string | undefined;
    do {
      const call = anthropicModelsCall(settings, afterId);
      const page = parseAnthropicModels(await (await send(sim, { ...call, query: { ...call.query, limit: '2' } })).json());
      ids.push(...page.ids);
      afterId = page.nextAfterId;
    } while (afterId);
    expect(ids).toEqual(['claude-sonnet-5-5', 'claude-haiku-5-5', 'sim-small']);
  });

  it('answers a chat request: system hoisted, the text mapped back with usage', async () => {
    const { call } = anthropicAdapter.chatRequest(
      { model: 'alias', messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Hello there' }] },
      settings,
    );
    const response = await send(sim, call);
    expect(response.status).toBe(200);
    const completion = anthropicAdapter.chatResponse(await response.json(), settings);
    expect(completion.choices[0]).toMatchObject({ message: { role: 'assistant', content: '[provider-sim sim-rt] Hello there' }, finish_reason: 'stop' });
    expect(completion.usage).toMatchObject({ prompt_tokens: 3 + 3 + 2 + 3, completion_tokens: 4, total_tokens: 15 });
    expect(JSON.parse(sim.requests()[0].body)).toMatchObject({ system: 'You are terse.', messages: [{ role: 'user', content: 'Hello there' }], max_tokens: 4096 });
  });

  it('round-trips a tool call through the OpenAI form: tool_calls out, a tool message back in', async () => {
    const first = { model: 'alias', tools: TOOLS, messages: [{ role: 'user' as const, content: 'Weather in Oslo' }] };
    const answer = anthropicAdapter.chatResponse(await (await send(sim, anthropicAdapter.chatRequest(first, settings).call)).json(), settings);
    expect(answer.choices[0].finish_reason).toBe('tool_calls');
    const [toolCall] = answer.choices[0].message.tool_calls!;
    expect(toolCall).toMatchObject({ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Weather in Oslo"}' } });

    const second: OpenAIChatRequest = {
      ...first,
      messages: [...first.messages, { role: 'assistant', content: null, tool_calls: [toolCall as never] }, { role: 'tool', tool_call_id: toolCall.id, content: '-3C' }],
    };
    const response = await send(sim, anthropicAdapter.chatRequest(second, settings).call);
    expect(response.status).toBe(200);
    const final = anthropicAdapter.chatResponse(await response.json(), settings);
    expect(final.choices[0]).toMatchObject({ message: { content: '[provider-sim sim-rt] tool result: -3C' }, finish_reason: 'stop' });
  });

  it('streams parallel tool calls whose arguments arrive in pieces, then finish_reason and usage', async () => {
    const chunks = await streamed(sim, { model: 'alias', tools: TOOLS, messages: [{ role: 'user', content: 'both in parallel' }] }, settings);
    const calls = new Map<number, { id?: string; name?: string; arguments: string }>();
    let pieces = 0;
    for (const chunk of chunks) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        const entry = calls.get(call.index) ?? { arguments: '' };
        if (call.id) Object.assign(entry, { id: call.id, name: call.function?.name });
        if (call.function?.arguments) pieces++;
        entry.arguments += call.function?.arguments ?? '';
        calls.set(call.index, entry);
      }
    }
    expect(pieces).toBeGreaterThan(2);
    expect([...calls.values()].map((call) => ({ name: call.name, args: JSON.parse(call.arguments) }))).toEqual([
      { name: 'get_weather', args: { city: 'both in parallel' } },
      { name: 'get_time', args: { zone: 'both in parallel' } },
    ]);
    expect(chunks.filter((chunk) => chunk.choices[0]?.finish_reason).map((chunk) => chunk.choices[0].finish_reason)).toEqual(['tool_calls']);
    expect(chunks[chunks.length - 1]).toMatchObject({ choices: [], usage: { prompt_tokens: 3 + 3 } });
  });

  it('streams thinking as reasoning_content before the text when reasoning_effort is set', async () => {
    const chunks = await streamed(sim, { model: 'alias', reasoning_effort: 'low', messages: [{ role: 'user', content: 'Why?' }] }, settings);
    const deltas = chunks.map((chunk) => chunk.choices[0]?.delta as Record<string, unknown> | undefined);
    expect(deltas.map((d) => d?.reasoning_content ?? '').join('')).toBe('[provider-sim sim-rt] thinking about: Why?');
    expect(deltas.map((d) => d?.content ?? '').join('')).toBe('[provider-sim sim-rt] Why?');
    expect(JSON.parse(sim.requests()[0].body)).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 2048 }, max_tokens: 4096 + 2048 });
  });

  it('reports a stream that ends in an overloaded error event as a retryable 529', async () => {
    let thrown: unknown;
    try {
      await streamed(sim, { model: 'alias', messages: [{ role: 'user', content: 'hi' }] }, settings, { 'x-sim-stream-error': 'overloaded_error' });
    } catch (error) {
      thrown = error;
    }
    expect(classifyUpstreamError(thrown)).toMatchObject({ kind: 'retryable', status: 529 });
  });

  it('reads an HTTP error answer with mapAnthropicError: 529 retryable, unknown model a client error', async () => {
    const { call } = anthropicAdapter.chatRequest({ model: 'alias', messages: [{ role: 'user', content: 'hi' }] }, settings);
    const overloaded = await send(sim, call, { 'x-sim-fault': 'error503' });
    expect(classifyUpstreamError(mapAnthropicError(overloaded.status, await overloaded.json()))).toMatchObject({ kind: 'retryable', status: 529, code: 'overloaded' });
    const unknown = await send(sim, anthropicAdapter.chatRequest({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }, { ...settings, model: 'claude-nope' }).call);
    expect(classifyUpstreamError(mapAnthropicError(unknown.status, await unknown.json()))).toMatchObject({ kind: 'client_error', status: 404, code: 'not_found' });
  });

  it('counts the tokens of a mapped request', async () => {
    const { call } = anthropicAdapter.chatRequest({ model: 'alias', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello there' }], max_tokens: 9 }, settings);
    const response = await send(sim, anthropicCountTokensCall(call.body as Record<string, unknown>, settings));
    expect(await response.json()).toEqual({ input_tokens: 2 + 3 + 2 + 3 });
  });
});

describe('the Anthropic adapter and the sampling rules of each version, against provider-sim', () => {
  let sim: ProviderSim;
  simForSuite({ protocol: 'anthropic', apiKey: KEY }, (started) => (sim = started));

  it('sends temperature on 2023-06-01 and the sim takes it; on 2026-10-21 drop_params drops it and the sim takes the rest', async () => {
    const request: OpenAIChatRequest = { model: 'alias', temperature: 0.3, messages: [{ role: 'user', content: 'hi' }] };
    const legacy = await send(sim, anthropicAdapter.chatRequest(request, { model: 'sim-small', apiKey: KEY, anthropicVersion: '2023-06-01' }).call);
    expect(legacy.status).toBe(200);
    const mapped = anthropicAdapter.chatRequest(request, { model: 'sim-small', apiKey: KEY, dropParams: true });
    expect(mapped.dropped).toEqual(['temperature']);
    expect((await send(sim, mapped.call)).status).toBe(200);
  });

  it('refuses an unknown protocol', async () => {
    await expect(startProviderSim({ protocol: 'grpc' as never })).rejects.toThrow(/protocol must be one of openai, .*anthropic/);
  });
});
