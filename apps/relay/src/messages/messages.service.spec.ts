import { ApiError } from '@ish/platform';
import type { MessagesRequest } from '@ish/providers';
import type { ChatExecutor, RelayCoreConfig } from '@ish/relay-core';
import { MessagesService, textLength } from './messages.service';

describe('MessagesService', () => {
  it('refuses text past MAX_MESSAGE_CHARS with 413 before any upstream call', async () => {
    const complete = jest.fn();
    const service = new MessagesService({ MAX_MESSAGE_CHARS: 10 } as RelayCoreConfig, { complete } as unknown as ChatExecutor);
    const request = { model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x'.repeat(11) }] } as MessagesRequest;
    const refused = await service.create(request, { userId: 'u', apiKeyId: null }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).getStatus()).toBe(413);
    expect(complete).not.toHaveBeenCalled();
  });
});

describe('textLength', () => {
  it('counts the text of system, string and block contents and tool results, not images', () => {
    const request = {
      model: 'm',
      max_tokens: 1,
      system: [{ type: 'text', text: 'abc' }],
      messages: [
        { role: 'user', content: 'hello' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'n', input: {} }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: '1234' }] },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'A'.repeat(1000) } },
            { type: 'text', text: 'xy' },
          ],
        },
      ],
    } as MessagesRequest;
    expect(textLength(request)).toBe(3 + 5 + 4 + 2);
  });
});
