import { parseChatRequest } from './chat-request';

const MODELS = new Set(['gpt-4o']);
const user = (content: unknown) => ({ role: 'user', content });

describe('parseChatRequest', () => {
  it('accepts string and content-part messages and reads stream options', () => {
    const result = parseChatRequest(
      {
        model: 'gpt-4o',
        messages: [{ role: 'system', content: 'be brief' }, user([{ type: 'text', text: 'hello' }, { type: 'image_url', image_url: {} }]), { role: 'assistant', content: null }],
        stream: true,
        stream_options: { include_usage: true },
        max_completion_tokens: 5,
      },
      MODELS,
    );
    expect(result).toEqual({
      ok: true,
      request: {
        model: 'gpt-4o',
        messages: [{ role: 'system', text: 'be brief' }, { role: 'user', text: 'hello' }, { role: 'assistant', text: '' }],
        stream: true,
        includeUsage: true,
        maxTokens: 5,
      },
    });
  });

  it.each([
    [{ messages: [user('x')] }, 400, 'model'],
    [{ model: 'gpt-4o', messages: [] }, 400, 'messages'],
    [{ model: 'gpt-4o', messages: [{ role: 'robot', content: 'x' }] }, 400, 'messages[0].role'],
    [{ model: 'gpt-4o', messages: [user(42)] }, 400, 'messages[0].content'],
    [{ model: 'gpt-4o', messages: [user('x')], temperature: -0.1 }, 400, 'temperature'],
    [{ model: 'gpt-4o', messages: [user('x')], max_tokens: 0 }, 400, 'max_tokens'],
    [{ model: 'gpt-4o', messages: [user('x')], stream: 'yes' }, 400, 'stream'],
    [{ model: 'other', messages: [user('x')] }, 404, 'model'],
    [{ model: 'gpt-4o', messages: [user('x')], n: 0 }, 400, 'n'],
    [{ model: 'gpt-4o', messages: [user('x')], tools: [{ type: 'function', function: {} }] }, 400, 'tools[0]'],
    [{ model: 'gpt-4o', messages: [user('x')], tools: [], tool_choice: { type: 'function', function: { name: 'absent' } } }, 400, 'tool_choice'],
    [{ model: 'gpt-4o', messages: [user('x')], top_logprobs: 2 }, 400, 'top_logprobs'],
  ])('rejects %j', (body, status, param) => {
    const result = parseChatRequest(body, MODELS);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ status, body: { error: { param } } });
  });

  it('reads tools, the tool choice, parallel_tool_calls, n and logprobs', () => {
    const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];
    const result = parseChatRequest(
      { model: 'gpt-4o', messages: [user('x')], tools, tool_choice: { type: 'function', function: { name: 'f' } }, parallel_tool_calls: false, n: 3, logprobs: true, top_logprobs: 2 },
      MODELS,
    );
    expect(result).toMatchObject({ ok: true, request: { tools: [{ name: 'f', parameters: { type: 'object' } }], toolChoice: { name: 'f' }, parallelToolCalls: false, n: 3, logprobs: { top: 2 } } });
  });
});
