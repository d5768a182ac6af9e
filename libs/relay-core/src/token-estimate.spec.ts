import type { ChatParams } from './chat-executor';
import { admitsCall, estimateChatTokens, estimateEmbeddingTokens, estimateTextTokens, NON_TEXT_PART_TOKENS, trueUpDelta, usedTokens } from './token-estimate';

/** one token per character: the arithmetic shows through */
const chars = (text: string) => text.length;

describe('estimateChatTokens', () => {
  it('counts each message with its framing, the reply priming, and no allowance when none is asked', () => {
    const params: ChatParams = { model: 'm', messages: [{ role: 'system', content: 'abcd' }, { role: 'user', content: 'hello' }] };
    // 3 priming + (3 + 4) + (3 + 5)
    expect(estimateChatTokens(params, chars)).toBe(18);
  });

  it('adds the completion the request allows, max_completion_tokens before max_tokens, times n', () => {
    const messages: ChatParams['messages'] = [{ role: 'user', content: 'hi' }];
    expect(estimateChatTokens({ model: 'm', messages, max_tokens: 100 }, chars)).toBe(8 + 100);
    expect(estimateChatTokens({ model: 'm', messages, max_tokens: 100, max_completion_tokens: 40 }, chars)).toBe(8 + 40);
    expect(estimateChatTokens({ model: 'm', messages, max_tokens: 100, n: 3 }, chars)).toBe(8 + 300);
  });

  it('counts text parts, a fixed figure for images and other parts, names, tool calls and tools', () => {
    const params: ChatParams = {
      model: 'm',
      messages: [
        { role: 'user', name: 'ann', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,' + 'A'.repeat(10_000) } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      ],
      tools: [{ type: 'function', function: { name: 'f' } }],
    };
    const toolCalls = JSON.stringify([{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }]).length;
    const tools = JSON.stringify([{ type: 'function', function: { name: 'f' } }]).length;
    expect(estimateChatTokens(params, chars)).toBe(3 + (3 + 3 + 4 + NON_TEXT_PART_TOKENS) + (3 + toolCalls) + tools);
  });
});

describe('estimateEmbeddingTokens', () => {
  it('counts strings and takes token arrays as they are', () => {
    expect(estimateEmbeddingTokens('abc', chars)).toBe(3);
    expect(estimateEmbeddingTokens(['ab', 'cde'], chars)).toBe(5);
    expect(estimateEmbeddingTokens([1, 2, 3, 4], chars)).toBe(4);
    expect(estimateEmbeddingTokens([[1, 2], [3]], chars)).toBe(3);
  });
});

describe('estimateTextTokens', () => {
  it('counts 4 characters a token, rounded up, whatever the text (special-token text included)', () => {
    expect(estimateTextTokens('')).toBe(0);
    expect(estimateTextTokens('hello world')).toBe(3);
    expect(estimateTextTokens('<|endoftext|>')).toBe(4);
    expect(estimateTextTokens('x'.repeat(2_000_000))).toBe(500_000);
  });
});

describe('admitsCall', () => {
  it('admits while the minute before this call is under the limit, the call that crosses it included', () => {
    expect(admitsCall(50, 50, 100)).toBe(true);
    expect(admitsCall(150, 60, 100)).toBe(true);
  });

  it('refuses once the minute is at or over the limit', () => {
    expect(admitsCall(110, 10, 100)).toBe(false);
    expect(admitsCall(130, 10, 100)).toBe(false);
    expect(admitsCall(0, 0, 0)).toBe(false);
  });
});

describe('trueUpDelta', () => {
  it('replaces the reservation by prompt + completion tokens: more adds, less gives back', () => {
    expect(trueUpDelta(100, { prompt_tokens: 80, completion_tokens: 50 })).toBe(30);
    expect(trueUpDelta(1100, { prompt_tokens: 80, completion_tokens: 20 })).toBe(-1000);
    expect(trueUpDelta(0, { prompt_tokens: 7, completion_tokens: 0 })).toBe(7);
  });

  it("once the reservation's minute is over, only usage beyond it counts, and nothing is given back", () => {
    expect(trueUpDelta(100, { prompt_tokens: 80, completion_tokens: 50 }, true)).toBe(30);
    expect(trueUpDelta(1100, { prompt_tokens: 80, completion_tokens: 20 }, true)).toBe(0);
  });

  it('takes odd provider figures as whole, non-negative tokens', () => {
    expect(usedTokens({ prompt_tokens: -5, completion_tokens: 2.6 })).toBe(3);
  });
});
