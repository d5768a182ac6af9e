import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { SseEvent } from '../../sse-decoder';
import type { AdapterSettings, ChatAdapter, MappedRequest, OpenAIChatRequest, StreamTranslator, UpstreamCall } from '../adapter-types';

/** What an OpenAI-protocol provider differs by: its label and the headers it wants besides the key. */
export interface OpenAIProtocolPreset {
  label: string;
  extraHeaders: Readonly<Record<string, string>>;
}

/** The preset's headers and the key as a Bearer token (when the instance has one). */
export function openAIHeaders(preset: OpenAIProtocolPreset, settings: Pick<AdapterSettings, 'apiKey'>): Record<string, string> {
  return { ...preset.extraHeaders, ...(settings.apiKey ? { Authorization: `Bearer ${settings.apiKey}` } : {}) };
}

/** OpenAI's chunks as they are; an `error` object inside the stream ends it with that error. */
class OpenAIStreamTranslator implements StreamTranslator {
  constructor(private readonly label: string) {}

  push(event: SseEvent): ChatCompletionChunk[] {
    if (event.data === '[DONE]') return [];
    let chunk: ChatCompletionChunk & { error?: unknown };
    try {
      chunk = JSON.parse(event.data);
    } catch {
      throw new Error(`${this.label} sent a stream event that is not JSON: ${JSON.stringify(event.data.slice(0, 120))}`);
    }
    if (typeof chunk !== 'object' || chunk === null) throw new Error(`${this.label} sent a stream event that is not an object`);
    if (event.event === 'error' || (chunk.error !== undefined && chunk.error !== null)) {
      const error = chunk.error ?? chunk;
      const message = typeof (error as { message?: unknown }).message === 'string' ? (error as { message: string }).message : JSON.stringify(error);
      throw new Error(`the provider ended the stream with an error: ${message}`);
    }
    return [chunk];
  }

  end(): ChatCompletionChunk[] {
    return [];
  }
}

/** The OpenAI protocol itself: identity mapping to `POST /chat/completions` with a Bearer key. */
export function openAIProtocolAdapter(preset: OpenAIProtocolPreset): ChatAdapter {
  return {
    chatRequest: (request: OpenAIChatRequest, settings: AdapterSettings): MappedRequest => {
      const body: Record<string, unknown> = { ...request, model: settings.model };
      // ours, never the provider's (chat-api decides what it drops)
      delete body.drop_params;
      return { call: { method: 'POST', path: '/chat/completions', headers: openAIHeaders(preset, settings), body, ...(request.stream === true ? { stream: true } : {}) }, dropped: [] };
    },
    chatResponse: (body: unknown): ChatCompletion => body as ChatCompletion,
    chatStream: () => new OpenAIStreamTranslator(preset.label),
  };
}

/** The health probe and model list: `GET /models`. */
export function openAIProbe(preset: OpenAIProtocolPreset, settings: Pick<AdapterSettings, 'apiKey'>): UpstreamCall {
  return { method: 'GET', path: '/models', headers: openAIHeaders(preset, settings) };
}

/** The ids of an OpenAI `GET /models` answer (`{"data":[{"id"}]}`). */
export function openAIModelIds(body: unknown): string[] {
  const data = (body as { data?: unknown } | null)?.data;
  return Array.isArray(data) ? data.flatMap((model: { id?: unknown } | null) => (typeof model?.id === 'string' ? [model.id] : [])) : [];
}
