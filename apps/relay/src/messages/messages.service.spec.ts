import { ApiError } from '@ish/platform';
import type { MessagesRequest } from '@ish/providers';
import type { ChatExecutor, RelayCoreConfig } from '@ish/relay-core';
import { classifyUpstreamError, type SseEvent } from '@ish/providers';
import { MessagesService, relayed, textLength } from './messages.service';

describe('MessagesService', () => {
  it('refuses text past MAX_MESSAGE_CHARS with 413 before any upstream call', async () => {
    const completeRouted = jest.fn();
    const service = new MessagesService({ MAX_MESSAGE_CHARS: 10 } as RelayCoreConfig, { completeRouted } as unknown as ChatExecutor);
    const request = { model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x'.repeat(11) }] } as MessagesRequest;
    const refused = await service.create(request, { body: Buffer.from('{}') }, { userId: 'u', apiKeyId: null }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).getStatus()).toBe(413);
    expect(completeRouted).not.toHaveBeenCalled();
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

describe('relayed (an Anthropic stream passed on)', () => {
  const event = (name: string, data: unknown): SseEvent => ({ event: name, data: JSON.stringify(data) });
  async function* upstream(events: SseEvent[]) {
    yield* events;
  }
  const drain = async (stream: ReturnType<typeof relayed>) => {
    const seen: SseEvent[] = [];
    for (let next = await stream.events.next(); !next.done; next = await stream.events.next()) seen.push(next.value);
    return seen;
  };

  it('passes every event on unchanged and reads the usage of message_start and message_delta', async () => {
    const events = [
      event('message_start', { type: 'message_start', message: { usage: { input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 1 } } }),
      event('ping', { type: 'ping' }),
      event('a_future_event', { type: 'a_future_event' }),
      event('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 7, input_tokens: null } }),
      event('message_stop', { type: 'message_stop' }),
    ];
    const stream = relayed(upstream(events));
    expect(stream.state().usage).toBeUndefined();
    expect(await drain(stream)).toEqual(events);
    expect(stream.state()).toEqual({ failed: false, usage: expect.objectContaining({ prompt_tokens: 15, completion_tokens: 7, prompt_tokens_details: { cached_tokens: 5 } }) });
  });

  it('passes an error event after the start on and marks the stream failed', async () => {
    const events = [event('message_start', { type: 'message_start', message: { usage: { input_tokens: 1 } } }), event('error', { type: 'error', error: { type: 'overloaded_error', message: 'busy' } })];
    const stream = relayed(upstream(events));
    expect(await drain(stream)).toEqual(events);
    expect(stream.state().failed).toBe(true);
  });

  it('throws an error that comes first, as a failure failover retries', async () => {
    const stream = relayed(upstream([event('error', { type: 'error', error: { type: 'overloaded_error', message: 'busy' } })]));
    const error = await stream.events.next().catch((e: unknown) => e);
    expect(classifyUpstreamError(error)).toMatchObject({ kind: 'retryable', status: 529, message: 'busy' });
  });
});
