import type { AdapterSettings } from '../adapter-types';
import { geminiChatResponse, mapFinishReason, mapUsage } from './gemini-chat-response';

const SETTINGS: AdapterSettings = { model: 'gemini-2.5-flash' };

describe('geminiChatResponse', () => {
  it('maps a text answer, its id, time, model and usage', () => {
    const completion = geminiChatResponse(
      {
        candidates: [{ content: { role: 'model', parts: [{ text: 'Hello' }, { text: ' there' }] }, finishReason: 'STOP', index: 0 }],
        usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2, totalTokenCount: 7 },
        modelVersion: 'gemini-2.5-flash-001',
        responseId: 'abc123',
        createTime: '2026-01-02T03:04:05Z',
      },
      SETTINGS,
    );
    expect(completion).toEqual({
      id: 'chatcmpl-abc123',
      object: 'chat.completion',
      created: Date.UTC(2026, 0, 2, 3, 4, 5) / 1000,
      model: 'gemini-2.5-flash-001',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there', refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
    });
  });

  it('maps functionCall parts to tool_calls with stable ids, the thought signature kept in the id', () => {
    const completion = geminiChatResponse(
      {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [
                { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'sig==' },
                { functionCall: { name: 'get_time' } },
                { functionCall: { name: 'lookup', args: {}, id: 'fc-7' } },
              ],
            },
            finishReason: 'STOP',
          },
        ],
      },
      SETTINGS,
    );
    expect(completion.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [
          { id: 'call_0__thought__sig==', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_1', type: 'function', function: { name: 'get_time', arguments: '{}' } },
          { id: 'fc-7', type: 'function', function: { name: 'lookup', arguments: '{}' } },
        ],
      },
      finish_reason: 'tool_calls',
      logprobs: null,
    });
    expect(completion.usage).toBeUndefined();
  });

  it('returns thought parts as reasoning_content and counts thoughts and cached tokens', () => {
    const completion = geminiChatResponse(
      {
        candidates: [{ content: { parts: [{ text: 'Thinking about it', thought: true }, { text: '42' }] }, finishReason: 'STOP' }],
        usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 1, thoughtsTokenCount: 4, cachedContentTokenCount: 6, totalTokenCount: 15 },
      },
      SETTINGS,
    );
    expect(completion.choices[0].message).toEqual({ role: 'assistant', content: '42', refusal: null, reasoning_content: 'Thinking about it' });
    expect(completion.usage).toEqual({
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 6 },
      completion_tokens_details: { reasoning_tokens: 4 },
    });
    expect(completion.model).toBe('gemini-2.5-flash');
    expect(completion.id).toMatch(/^chatcmpl-/);
  });

  it('answers a blocked prompt with an empty content_filter choice', () => {
    const completion = geminiChatResponse({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 } }, SETTINGS);
    expect(completion.choices).toEqual([{ index: 0, message: { role: 'assistant', content: '', refusal: null }, finish_reason: 'content_filter', logprobs: null }]);
    expect(completion.usage).toEqual({ prompt_tokens: 8, completion_tokens: 0, total_tokens: 8 });
  });

  it('maps several candidates to several choices and logprobs to logprobs.content', () => {
    const completion = geminiChatResponse(
      {
        candidates: [
          {
            index: 0,
            content: { parts: [{ text: 'Hi' }] },
            finishReason: 'MAX_TOKENS',
            logprobsResult: {
              chosenCandidates: [{ token: 'Hi', logProbability: -0.1 }],
              topCandidates: [{ candidates: [{ token: 'Hi', logProbability: -0.1 }, { token: 'Yo', logProbability: -2.5 }] }],
            },
          },
          { index: 1, content: { parts: [{ text: '' }] }, finishReason: 'SAFETY' },
        ],
      },
      SETTINGS,
    );
    expect(completion.choices[0].finish_reason).toBe('length');
    expect(completion.choices[0].logprobs).toEqual({
      content: [
        {
          token: 'Hi',
          logprob: -0.1,
          bytes: [72, 105],
          top_logprobs: [
            { token: 'Hi', logprob: -0.1, bytes: [72, 105] },
            { token: 'Yo', logprob: -2.5, bytes: [89, 111] },
          ],
        },
      ],
      refusal: null,
    });
    expect(completion.choices[1]).toMatchObject({ index: 1, message: { content: '' }, finish_reason: 'content_filter' });
  });
});

describe('mapFinishReason', () => {
  it.each([
    ['STOP', false, 'stop'],
    ['STOP', true, 'tool_calls'],
    ['MAX_TOKENS', false, 'length'],
    ['MAX_TOKENS', true, 'length'],
    ['SAFETY', false, 'content_filter'],
    ['RECITATION', false, 'content_filter'],
    ['BLOCKLIST', false, 'content_filter'],
    ['PROHIBITED_CONTENT', false, 'content_filter'],
    ['SPII', false, 'content_filter'],
    ['MALFORMED_FUNCTION_CALL', false, 'stop'],
    ['OTHER', false, 'stop'],
    [undefined, false, 'stop'],
  ])('%s (function calls: %s) → %s', (reason, called, expected) => {
    expect(mapFinishReason(reason, called)).toBe(expected);
  });
});

describe('mapUsage', () => {
  it('adds tool-use prompt tokens to the prompt and sums when Gemini gives no total', () => {
    expect(mapUsage({ promptTokenCount: 3, toolUsePromptTokenCount: 2, candidatesTokenCount: 4 })).toEqual({ prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 });
  });
});
