import { buildReply, chatCompletionChunkEvents } from './chat-reply';
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
