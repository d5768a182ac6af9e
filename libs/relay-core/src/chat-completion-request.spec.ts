import { validateSync } from 'class-validator';
import { ChatCompletionRequest } from '@ish/contracts';
import { ApiError, compileValidator } from '@ish/platform';
import { checkChatCompletionRequest } from './chat-completion-request';

// class-validator as it is, with validateSync watched: a valid request must not reach it (the compiled validator vouches for it)
jest.mock('class-validator', () => {
  const actual = jest.requireActual<typeof import('class-validator')>('class-validator');
  return { ...actual, validateSync: jest.fn(actual.validateSync) };
});

const LIMITS = { maxChoices: 8, maxMessageChars: 1000 };
const user = (content: unknown) => ({ role: 'user', content });
const weather = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };
const call = (id: string, name = 'get_weather') => ({ id, type: 'function', function: { name, arguments: '{"city":"Paris"}' } });
const assistantCalls = (...ids: string[]) => ({ role: 'assistant', content: null, tool_calls: ids.map((id) => call(id)) });
const tool = (id: unknown, content: unknown = '22 degrees') => ({ role: 'tool', tool_call_id: id, content });

function failure(body: unknown): ApiError {
  try {
    checkChatCompletionRequest(body, LIMITS);
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('accepted');
}

function wholeRequest() {
  const messages = [
    { role: 'developer', content: 'be brief' },
    user([
      { type: 'text', text: 'what is this?' },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
      { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE', filename: 'a.pdf' } },
    ]),
    assistantCalls('call_1', 'call_2'),
    tool('call_1'),
    tool('call_2', [{ type: 'text', text: 'sunny' }]),
    { role: 'assistant', content: [{ type: 'refusal', refusal: 'no' }] },
  ];
  const body = {
    model: 'gpt-4o',
    messages,
    tools: [weather],
    tool_choice: { type: 'function', function: { name: 'get_weather' } },
    parallel_tool_calls: false,
    n: 2,
    logprobs: true,
    top_logprobs: 3,
    logit_bias: { '50256': -100 },
    reasoning_effort: 'low',
    response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } },
    modalities: ['text'],
    service_tier: 'auto',
    store: false,
    prediction: { type: 'content', content: 'x' },
    web_search_options: {},
    metadata: { app: 'test' },
    user: 'u1',
    stop: ['\n'],
    stream: true,
    stream_options: { include_usage: true },
    drop_params: true,
    a_parameter_from_the_future: { deep: [1] },
  };
  return { messages, body };
}

describe('checkChatCompletionRequest', () => {
  beforeEach(() => jest.mocked(validateSync).mockClear());

  it('accepts the whole OpenAI request and keeps the client’s objects and unknown parameters as they are', () => {
    const { messages, body } = wholeRequest();
    const checked = checkChatCompletionRequest(body, LIMITS);
    expect(checked.stream).toBe(true);
    expect(checked.includeUsage).toBe(true);
    expect(checked.dropParams).toBe(true);
    expect(checked.params.messages).toBe(messages);
    expect(checked.params).not.toHaveProperty('stream');
    expect(checked.params).not.toHaveProperty('stream_options');
    expect(checked.params).not.toHaveProperty('drop_params');
    expect((checked.params as unknown as Record<string, unknown>).a_parameter_from_the_future).toBe(body.a_parameter_from_the_future);
    // text of the text parts, the tool call arguments, tool results and the refusal; not the image or audio data
    expect(checked.textChars).toBe('be brief'.length + 'what is this?'.length + 2 * '{"city":"Paris"}'.length + '22 degrees'.length + 'sunny'.length + 'no'.length);
  });

  it.each([
    ['a tool message answering no call', { messages: [user('x'), tool('call_9')] }, 'messages.1.tool_call_id'],
    ['a call answered twice', { messages: [user('x'), assistantCalls('call_1'), tool('call_1'), tool('call_1')] }, 'messages.3.tool_call_id'],
    ['a tool message without tool_call_id', { messages: [user('x'), tool(undefined)] }, 'messages.1.tool_call_id'],
    ['a tool call without id', { messages: [user('x'), { role: 'assistant', content: null, tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{}' } }] }] }, 'messages.1.tool_calls.0.id'],
    ['a tool call with a bad name', { messages: [user('x'), { role: 'assistant', tool_calls: [call('c', 'no spaces allowed')] }] }, 'messages.1.tool_calls.0.function.name'],
    ['a tool call whose arguments are not a string', { messages: [user('x'), { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: {} } }] }] }, 'messages.1.tool_calls.0.function.arguments'],
    ['the same call id twice', { messages: [user('x'), assistantCalls('c', 'c')] }, 'messages.1.tool_calls.1.id'],
    ['an assistant message with neither content nor calls', { messages: [user('x'), { role: 'assistant', content: null }] }, 'messages.1.content'],
    ['a tool_choice naming an absent tool', { messages: [user('x')], tools: [weather], tool_choice: { type: 'function', function: { name: 'get_time' } } }, 'tool_choice.function.name'],
    ['tool_choice required without tools', { messages: [user('x')], tool_choice: 'required' }, 'tool_choice'],
    ['a tool without a name', { messages: [user('x')], tools: [{ type: 'function', function: {} }] }, 'tools.0.function.name'],
    ['a tool of an unknown type', { messages: [user('x')], tools: [{ type: 'retrieval' }] }, 'tools.0.type'],
    ['two tools of one name', { messages: [user('x')], tools: [weather, weather] }, 'tools.1.function.name'],
    ['an image_url that is no URL', { messages: [user([{ type: 'image_url', image_url: { url: 'cat.png' } }])] }, 'messages.0.content.0.image_url.url'],
    ['a data URL that is not base64', { messages: [user([{ type: 'image_url', image_url: { url: 'data:image/png,rawbytes' } }])] }, 'messages.0.content.0.image_url.url'],
    ['an image without url', { messages: [user([{ type: 'image_url', image_url: {} }])] }, 'messages.0.content.0.image_url.url'],
    ['an unknown detail', { messages: [user([{ type: 'image_url', image_url: { url: 'https://a.example/x.png', detail: 'max' } }])] }, 'messages.0.content.0.image_url.detail'],
    ['audio of an unknown format', { messages: [user([{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'ogg' } }])] }, 'messages.0.content.0.input_audio.format'],
    ['a file without data or id', { messages: [user([{ type: 'file', file: { filename: 'a.pdf' } }])] }, 'messages.0.content.0.file'],
    ['an unknown part type', { messages: [user([{ type: 'video', video: {} }])] }, 'messages.0.content.0.type'],
    ['an image in a system message', { messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://a.example/x.png' } }] }] }, 'messages.0.content.0'],
    ['an unknown role', { messages: [{ role: 'robot', content: 'x' }] }, 'messages.0.role'],
    ['no messages', { messages: [] }, 'messages'],
    ['n over MAX_CHOICES', { messages: [user('x')], n: 9 }, 'n'],
    ['n of 0', { messages: [user('x')], n: 0 }, 'n'],
    ['top_logprobs without logprobs', { messages: [user('x')], top_logprobs: 2 }, 'top_logprobs'],
    ['top_logprobs over 20', { messages: [user('x')], logprobs: true, top_logprobs: 21 }, 'top_logprobs'],
    ['logprobs that is not a boolean', { messages: [user('x')], logprobs: 'yes' }, 'logprobs'],
    ['a logit bias over 100', { messages: [user('x')], logit_bias: { '5': 101 } }, 'logit_bias.5'],
    ['an unknown response format', { messages: [user('x')], response_format: { type: 'yaml' } }, 'response_format.type'],
    ['a json_schema without name', { messages: [user('x')], response_format: { type: 'json_schema', json_schema: { schema: {} } } }, 'response_format.json_schema.name'],
    ['an unknown reasoning effort', { messages: [user('x')], reasoning_effort: 'extreme' }, 'reasoning_effort'],
    ['an unknown service tier', { messages: [user('x')], service_tier: 'gold' }, 'service_tier'],
    ['an unknown modality', { messages: [user('x')], modalities: ['video'] }, 'modalities'],
    ['metadata values that are not strings', { messages: [user('x')], metadata: { a: 1 } }, 'metadata.a'],
    ['five stop sequences', { messages: [user('x')], stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop'],
    ['stream_options without stream', { messages: [user('x')], stream_options: { include_usage: true } }, 'stream_options'],
    ['a temperature over 2', { messages: [user('x')], temperature: 3 }, 'temperature'],
    ['drop_params that is not a boolean', { messages: [user('x')], drop_params: 'yes' }, 'drop_params'],
    ['a prediction of another type', { messages: [user('x')], prediction: { type: 'diff', content: 'x' } }, 'prediction.type'],
  ])('refuses %s with 400 and the field in param', (_name, fields, param) => {
    const error = failure({ model: 'gpt-4o', ...fields });
    expect(error).toBeInstanceOf(ApiError);
    expect(error.getStatus()).toBe(400);
    expect(error.code).toBe('validation_failed');
    expect(error.param).toBe(param);
  });

  it('answers 413 when the text of all messages, tool results and arguments included, passes the limit', () => {
    const error = failure({ model: 'm', messages: [user('a'.repeat(600)), assistantCalls('c'), tool('c', 'b'.repeat(400))] });
    expect(error.getStatus()).toBe(413);
    expect(error.code).toBe('message_too_long');
    expect(checkChatCompletionRequest({ model: 'm', messages: [user('a'.repeat(1000))] }, LIMITS).textChars).toBe(1000);
  });

  it('refuses a `__proto__` key with 400 rather than letting it replace the prototype of the copy it validates', () => {
    const error = failure(JSON.parse('{"__proto__":null,"model":"m","messages":[{"role":"user","content":"hi"}]}'));
    expect(error.getStatus()).toBe(400);
    expect(error.param).toBe('__proto__');
  });

  it('does not count image data as text', () => {
    const image = { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${'A'.repeat(50_000)}` } };
    expect(checkChatCompletionRequest({ model: 'm', messages: [user([{ type: 'text', text: 'hi' }, image])] }, LIMITS).textChars).toBe(2);
  });

  it('takes the compiled fast path for valid requests: the DTO validators vouch for them without validateSync', () => {
    const valid = [
      wholeRequest().body,
      { model: 'bench-floor', messages: [user('benchmark message of a few words')] },
      { model: 'm', messages: [user('a'.repeat(1000))] },
      { model: 'm', messages: [user([{ type: 'text', text: 'hi' }])], temperature: 0, top_p: 1, max_tokens: 16, seed: 0, user: '' },
    ];
    const fast = compileValidator(ChatCompletionRequest);
    for (const body of valid) {
      expect(fast(body)).toBe(true);
      checkChatCompletionRequest(body, LIMITS);
    }
    expect(validateSync).not.toHaveBeenCalled();
  });

  it('words the errors of the DTO validators as class-validator does', () => {
    const error = failure({ model: '', messages: 'hi', temperature: 3, n: 1.5, reasoning_effort: 'extreme', user: 'u'.repeat(257) });
    expect(validateSync).toHaveBeenCalledTimes(1);
    expect(error.toBody()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'validation_failed',
        message: 'Invalid request: check model, messages, temperature, n, user, reasoning_effort',
        param: 'model',
        details: [
          { field: 'model', message: 'model must be longer than or equal to 1 characters' },
          { field: 'messages', message: 'messages must be an array' },
          { field: 'temperature', message: 'temperature must not be greater than 2' },
          { field: 'n', message: 'n must be an integer number' },
          { field: 'user', message: 'user must be shorter than or equal to 256 characters' },
          { field: 'reasoning_effort', message: 'reasoning_effort must be one of the following values: none, minimal, low, medium, high, xhigh' },
        ],
      },
    });
  });
});
