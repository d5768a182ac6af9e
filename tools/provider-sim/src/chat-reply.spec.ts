import { buildReply, chatCompletionBody, chatCompletionChunkEvents } from './chat-reply';
import { ChatRequest } from './chat-request';

const request = (messages: ChatRequest['messages']): ChatRequest => ({ model: 'gpt-4o', messages, stream: false, includeUsage: false });

describe('buildReply', () => {
  it('echoes the last user message and counts words as tokens', () => {
    const reply = buildReply(
      's',
      request([{ role: 'user', text: 'first' }, { role: 'user', text: '  second\nline  ' }, { role: 'assistant', text: 'ok' }]),
    );
    expect(reply.content).toBe('[provider-sim s] second\nline');
    expect(reply.pieces).toEqual(['[provider-sim', ' s]', ' second', '\nline']);
    expect(reply.finishReason).toBe('stop');
    expect(reply.usage).toEqual({ prompt_tokens: 13, completion_tokens: 4, total_tokens: 17 });
  });

  it('says so when there is no user message', () => {
    const reply = buildReply('s', request([{ role: 'system', text: 'x' }]));
    expect(reply.content).toBe('[provider-sim s] (no user message)');
  });
});

describe('chatCompletionChunkEvents', () => {
  it('emits valid JSON chunks that rebuild the reply', () => {
    const reply = buildReply('s', request([{ role: 'user', text: 'say "hi"\there' }]));
    const events = chatCompletionChunkEvents({ id: 'chatcmpl-1', created: 1, model: 'gpt-4o' }, reply, true);
    expect(events.every((e) => e.startsWith('data: ') && e.endsWith('\n\n'))).toBe(true);
    expect(events[events.length - 1]).toBe('data: [DONE]\n\n');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice('data: '.length)));
    expect(chunks[0]).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'gpt-4o',
      system_fingerprint: 'provider-sim',
      choices: [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }],
      usage: null,
    });
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(reply.content);
    expect(chunks[chunks.length - 2].choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(chunks[chunks.length - 1]).toMatchObject({ choices: [], usage: reply.usage });
  });
});

describe('tools, n and logprobs', () => {
  const weather = { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' }, unit: { type: 'string', enum: ['c', 'f'] } }, required: ['city', 'unit'] } };
  const clock = { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } };
  const meta = { id: 'chatcmpl-7', created: 1, model: 'gpt-4o' };
  const chunksOf = (events: string[]) => events.slice(0, -1).map((e) => JSON.parse(e.slice('data: '.length)));

  it('calls the first tool with arguments built from its schema when the user spoke last', () => {
    const reply = buildReply('s', { ...request([{ role: 'user', text: 'Paris please' }]), tools: [weather, clock] });
    expect(reply.toolCalls).toEqual([{ name: 'get_weather', arguments: '{"city":"Paris please","unit":"c"}' }]);
    expect(reply.finishReason).toBe('tool_calls');
    expect(reply.usage.completion_tokens).toBe(2);
    const body = chatCompletionBody(meta, reply) as { choices: { message: { content: unknown; tool_calls: { id: string; type: string; function: unknown }[] } }[] };
    expect(body.choices[0].message.content).toBeNull();
    expect(body.choices[0].message.tool_calls).toEqual([{ id: 'call_chatcmpl7_0_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris please","unit":"c"}' } }]);
  });

  it('calls the tool a forced choice names, both tools when asked in parallel, none when the choice is none', () => {
    const base = { ...request([{ role: 'user', text: 'now parallel' }]), tools: [weather, clock] };
    expect(buildReply('s', { ...base, toolChoice: { name: 'get_time' } }).toolCalls?.map((c) => c.name)).toEqual(['get_time']);
    expect(buildReply('s', base).toolCalls?.map((c) => c.name)).toEqual(['get_weather', 'get_time']);
    expect(buildReply('s', { ...base, parallelToolCalls: false }).toolCalls?.map((c) => c.name)).toEqual(['get_weather']);
    expect(buildReply('s', { ...base, toolChoice: 'none' }).toolCalls).toBeUndefined();
  });

  it('answers a tool result with its text', () => {
    const reply = buildReply('s', { ...request([{ role: 'user', text: 'hi' }, { role: 'assistant', text: '' }, { role: 'tool', text: '22 degrees' }]), tools: [weather] });
    expect(reply.toolCalls).toBeUndefined();
    expect(reply.content).toBe('[provider-sim s] tool result: 22 degrees');
  });

  it('streams a tool call as id and name first, then the arguments in pieces that join to the JSON', () => {
    const reply = buildReply('s', { ...request([{ role: 'user', text: 'Paris' }]), tools: [weather] });
    const chunks = chunksOf(chatCompletionChunkEvents(meta, reply, true));
    const calls = chunks.flatMap((c) => c.choices.flatMap((choice: { delta: { tool_calls?: unknown[] } }) => choice.delta.tool_calls ?? [])) as { index: number; id?: string; function: { name?: string; arguments: string } }[];
    expect(calls[0]).toEqual({ index: 0, id: 'call_chatcmpl7_0_0', type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(calls.length).toBeGreaterThan(2);
    expect(JSON.parse(calls.map((c) => c.function.arguments).join(''))).toEqual({ city: 'Paris', unit: 'c' });
    expect(chunks.at(-2).choices[0].finish_reason).toBe('tool_calls');
    expect(chunks.at(-1).usage).toEqual(reply.usage);
  });

  it('answers n choices and per-token logprobs with top_logprobs alternatives', () => {
    const reply = buildReply('s', { ...request([{ role: 'user', text: 'two words' }]), n: 2, logprobs: { top: 2 } });
    const body = chatCompletionBody(meta, reply) as { choices: { index: number; logprobs: { content: { token: string; top_logprobs: unknown[] }[] } }[] };
    expect(body.choices.map((c) => c.index)).toEqual([0, 1]);
    expect(body.choices[0].logprobs.content.map((t) => t.token).join('')).toBe(reply.content);
    expect(body.choices[0].logprobs.content[0].top_logprobs).toHaveLength(2);
    const chunks = chunksOf(chatCompletionChunkEvents(meta, reply, false));
    expect(new Set(chunks.map((c) => c.choices[0].index))).toEqual(new Set([0, 1]));
    expect(chunks.find((c) => c.choices[0].delta.content)?.choices[0].logprobs.content).toHaveLength(1);
  });
});
