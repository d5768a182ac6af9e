import type { AdapterSettings, OpenAIChatRequest } from '../adapter-types';
import { UnsupportedParameterError } from '../unsupported-parameter';
import { geminiChatRequest } from './gemini-chat-request';
import { GeminiInvalidRequestError } from './gemini-errors';
import type { GeminiGenerateContentRequest } from './gemini-wire';

const SETTINGS: AdapterSettings = { model: 'gemini-2.5-flash', apiKey: 'AIza-test' };

function request(extra: Partial<OpenAIChatRequest> = {}): OpenAIChatRequest {
  return { model: 'anything', messages: [{ role: 'user', content: 'Hello' }], ...extra } as OpenAIChatRequest;
}

function body(extra: Partial<OpenAIChatRequest> = {}, settings: Partial<AdapterSettings> = {}): GeminiGenerateContentRequest {
  return geminiChatRequest(request(extra), { ...SETTINGS, ...settings }).call.body as GeminiGenerateContentRequest;
}

function refusal(fn: () => unknown): UnsupportedParameterError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UnsupportedParameterError) return error;
    throw error;
  }
  throw new Error('expected an UnsupportedParameterError');
}

const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  },
};

describe('geminiChatRequest: the call', () => {
  it('posts generateContent for the instance model with the key in x-goog-api-key', () => {
    const { call, dropped } = geminiChatRequest(request(), SETTINGS);
    expect(call).toEqual({
      method: 'POST',
      path: '/v1beta/models/gemini-2.5-flash:generateContent',
      headers: { 'x-goog-api-key': 'AIza-test' },
      body: { contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] },
    });
    expect(dropped).toEqual([]);
  });

  it('streams through streamGenerateContent?alt=sse', () => {
    const { call } = geminiChatRequest(request({ stream: true, stream_options: { include_usage: true } }), { ...SETTINGS, model: 'models/gemini-3-pro' });
    expect(call).toMatchObject({ path: '/v1beta/models/gemini-3-pro:streamGenerateContent', query: { alt: 'sse' }, stream: true });
  });
});

describe('geminiChatRequest: messages', () => {
  it('hoists system and developer messages into systemInstruction and merges consecutive roles', () => {
    const mapped = body({
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'One' },
        { role: 'user', content: [{ type: 'text', text: 'Two' }] },
        { role: 'assistant', content: 'Un, deux' },
        { role: 'assistant', content: [{ type: 'text', text: ', trois' }] },
        { role: 'user', content: 'Next' },
      ],
    });
    expect(mapped.systemInstruction).toEqual({ parts: [{ text: 'Be terse.' }, { text: 'Answer in French.' }] });
    expect(mapped.contents).toEqual([
      { role: 'user', parts: [{ text: 'One' }, { text: 'Two' }] },
      { role: 'model', parts: [{ text: 'Un, deux' }, { text: ', trois' }] },
      { role: 'user', parts: [{ text: 'Next' }] },
    ]);
  });

  it('maps assistant tool calls to functionCall parts and tool messages to functionResponse parts by the called name', () => {
    const mapped = body({
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_1', type: 'function', function: { name: 'get_time', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_0', content: '{"temp":21}' },
        { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'noon' }] },
      ],
    });
    expect(mapped.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris and Rome?' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
          { functionCall: { name: 'get_time', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { temp: 21 } } },
          { functionResponse: { name: 'get_time', response: { output: 'noon' } } },
        ],
      },
    ]);
  });

  it('gives Gemini 3 the documented placeholder signature for calls that carry none (history from elsewhere)', () => {
    const messages = [
      { role: 'user', content: 'x' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'f', arguments: '{}' } }, { id: 'toolu_2', type: 'function', function: { name: 'g', arguments: '{}' } }] },
    ] as OpenAIChatRequest['messages'];
    expect(body({ messages }, { model: 'gemini-3-pro-preview' }).contents[1].parts).toEqual([
      { functionCall: { name: 'f', args: {} }, thoughtSignature: 'skip_thought_signature_validator' },
      { functionCall: { name: 'g', args: {} } },
    ]);
    expect(body({ messages }).contents[1].parts[0]).not.toHaveProperty('thoughtSignature');
  });

  it('gives the thought signature carried in a tool call id back to Gemini', () => {
    const mapped = body({
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'call_0__thought__c2lnbmF0dXJl', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_0__thought__c2lnbmF0dXJl', content: 'sunny' },
      ],
    });
    expect(mapped.contents[1]).toEqual({
      role: 'model',
      parts: [{ text: 'Let me check.' }, { functionCall: { name: 'get_weather', args: {} }, thoughtSignature: 'c2lnbmF0dXJl' }],
    });
    expect(mapped.contents[2].parts).toEqual([{ functionResponse: { name: 'get_weather', response: { output: 'sunny' } } }]);
  });

  it('wraps JSON results that are not objects in {output}', () => {
    const mapped = body({
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'a', content: '[1,2]' },
      ],
    });
    expect(mapped.contents[2].parts[0].functionResponse?.response).toEqual({ output: [1, 2] });
  });

  it('refuses a tool message whose id no earlier assistant call made, and arguments that are not a JSON object', () => {
    const orphan = () => body({ messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'call_9', content: 'r' }] });
    expect(orphan).toThrow(GeminiInvalidRequestError);
    expect(orphan).toThrow('call_9');
    const badArguments = () =>
      body({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '[1]' } }] }] });
    expect(badArguments).toThrow(expect.objectContaining({ param: 'messages.1.tool_calls.0.function.arguments', status: 400 }));
  });

  it('maps image data URLs to inlineData, http URLs to fileData, audio and files to inlineData', () => {
    const mapped = body({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.webp?size=2' } },
            { type: 'image_url', image_url: { url: 'https://example.com/photo' } },
            { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
            { type: 'file', file: { file_data: 'JVBERi0=', filename: 'b.pdf' } },
          ],
        },
      ],
    });
    expect(mapped.contents[0].parts).toEqual([
      { text: 'Look' },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
      { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/cat.webp?size=2' } },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/photo' } },
      { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
    ]);
  });

  it('refuses content Gemini cannot take, naming the part, or drops it with drop_params', () => {
    const messages = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hi' },
          { type: 'image_url', image_url: { url: 'ftp://example.com/a.png' } },
          { type: 'file', file: { file_id: 'file-abc' } },
        ],
      },
    ];
    expect(refusal(() => body({ messages } as Partial<OpenAIChatRequest>)).param).toBe('messages.0.content.1.image_url');
    const { call, dropped } = geminiChatRequest(request({ messages } as Partial<OpenAIChatRequest>), { ...SETTINGS, dropParams: true });
    expect(dropped).toEqual(['messages.0.content.1.image_url', 'messages.0.content.2.file.file_id']);
    expect((call.body as GeminiGenerateContentRequest).contents).toEqual([{ role: 'user', parts: [{ text: 'Hi' }] }]);
  });

  it('refuses the legacy function role', () => {
    expect(refusal(() => body({ messages: [{ role: 'user', content: 'x' }, { role: 'function', name: 'f', content: 'r' }] } as Partial<OpenAIChatRequest>)).param).toBe('messages.1.role');
  });
});

describe('geminiChatRequest: tools', () => {
  it('maps function tools to functionDeclarations with the JSON schema as parametersJsonSchema', () => {
    const mapped = body({ tools: [WEATHER_TOOL, { type: 'function', function: { name: 'now' } }] });
    expect(mapped.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'get_weather', description: 'Weather of a city', parametersJsonSchema: WEATHER_TOOL.function.parameters },
          { name: 'now' },
        ],
      },
    ]);
    expect(mapped.toolConfig).toBeUndefined();
  });

  it.each([
    ['auto', { mode: 'AUTO' }],
    ['none', { mode: 'NONE' }],
    ['required', { mode: 'ANY' }],
    [{ type: 'function', function: { name: 'get_weather' } }, { mode: 'ANY', allowedFunctionNames: ['get_weather'] }],
    [{ type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'get_weather' } }] } }, { mode: 'VALIDATED', allowedFunctionNames: ['get_weather'] }],
    [{ type: 'allowed_tools', allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'get_weather' } }] } }, { mode: 'ANY', allowedFunctionNames: ['get_weather'] }],
  ])('maps tool_choice %j to functionCallingConfig %j', (choice, config) => {
    expect(body({ tools: [WEATHER_TOOL], tool_choice: choice } as Partial<OpenAIChatRequest>).toolConfig).toEqual({ functionCallingConfig: config });
  });

  it('maps web_search_options to the googleSearch tool', () => {
    expect(body({ web_search_options: {} }).tools).toEqual([{ googleSearch: {} }]);
  });

  it('refuses custom tools, custom tool choices and parallel_tool_calls:false', () => {
    expect(refusal(() => body({ tools: [{ type: 'custom', custom: { name: 'x' } }] })).param).toBe('tools.0');
    expect(refusal(() => body({ tools: [WEATHER_TOOL], tool_choice: { type: 'custom', custom: { name: 'x' } } })).param).toBe('tool_choice');
    expect(refusal(() => body({ tools: [WEATHER_TOOL], parallel_tool_calls: false })).param).toBe('parallel_tool_calls');
    expect(body({ tools: [WEATHER_TOOL], parallel_tool_calls: true }).tools).toHaveLength(1);
  });
});

describe('geminiChatRequest: generationConfig', () => {
  it('maps the sampling parameters', () => {
    expect(
      body({
        temperature: 0.3,
        top_p: 0.9,
        max_tokens: 100,
        stop: ['END', '###'],
        n: 2,
        seed: 7,
        presence_penalty: 0.5,
        frequency_penalty: -0.5,
        logprobs: true,
        top_logprobs: 3,
        user: 'u-1',
        metadata: { a: 'b' },
        service_tier: 'auto',
        store: false,
        modalities: ['text'],
      }).generationConfig,
    ).toEqual({
      temperature: 0.3,
      topP: 0.9,
      maxOutputTokens: 100,
      stopSequences: ['END', '###'],
      candidateCount: 2,
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      responseLogprobs: true,
      logprobs: 3,
    });
  });

  it('prefers max_completion_tokens, takes a single stop string and leaves n=1 out', () => {
    expect(body({ max_tokens: 10, max_completion_tokens: 20, stop: 'END', n: 1 }).generationConfig).toEqual({ maxOutputTokens: 20, stopSequences: ['END'] });
  });

  it('maps response_format json_object and json_schema', () => {
    expect(body({ response_format: { type: 'text' } }).generationConfig).toBeUndefined();
    expect(body({ response_format: { type: 'json_object' } }).generationConfig).toEqual({ responseMimeType: 'application/json' });
    const schema = { type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] };
    expect(body({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema, strict: true } } }).generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseJsonSchema: schema,
    });
  });

  it('maps reasoning_effort to a thinking budget on Gemini 2.x and a thinking level after', () => {
    expect(body({ reasoning_effort: 'low' }).generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } });
    expect(body({ reasoning_effort: 'none' }).generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 0, includeThoughts: false } });
    expect(body({ reasoning_effort: 'high' }, { model: 'gemini-3-pro-preview' }).generationConfig).toEqual({ thinkingConfig: { thinkingLevel: 'HIGH', includeThoughts: true } });
    expect(body({ reasoning_effort: 'minimal' }, { model: 'gemini-3-flash' }).generationConfig).toEqual({ thinkingConfig: { thinkingLevel: 'MINIMAL', includeThoughts: true } });
  });
});

describe('geminiChatRequest: parameters Gemini cannot take', () => {
  it.each([
    ['logit_bias', { logit_bias: { '50256': -100 } }],
    ['modalities', { modalities: ['text', 'audio'] }],
    ['audio', { audio: { voice: 'alloy', format: 'mp3' } }],
    ['prediction', { prediction: { type: 'content', content: 'x' } }],
    ['service_tier', { service_tier: 'flex' }],
    ['store', { store: true }],
    ['functions', { functions: [{ name: 'f' }] }],
    ['top_k', { top_k: 3 }],
  ])('refuses %s, naming it', (param, extra) => {
    const error = refusal(() => body(extra as Partial<OpenAIChatRequest>));
    expect(error.param).toBe(param);
    expect(error.message).toContain('Gemini does not support');
  });

  it('drops them with drop_params and reports every one', () => {
    const { call, dropped } = geminiChatRequest(request({ logit_bias: { '1': 1 }, top_k: 3, temperature: 1, drop_params: true } as Partial<OpenAIChatRequest>), { ...SETTINGS, dropParams: true });
    expect(dropped).toEqual(['logit_bias', 'top_k']);
    expect((call.body as GeminiGenerateContentRequest).generationConfig).toEqual({ temperature: 1 });
  });

  it('keeps an empty logit_bias and parameters sent as null (nothing to honour)', () => {
    expect(() => body({ logit_bias: {} })).not.toThrow();
    expect(() => body({ top_k: null, logit_bias: null, audio: null } as Partial<OpenAIChatRequest>)).not.toThrow();
  });
});
