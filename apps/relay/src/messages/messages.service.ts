import { Injectable } from '@nestjs/common';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import {
  anthropicUsage,
  countMessageTokens,
  mapAnthropicError,
  mergeAnthropicUsage,
  messagesToOpenAI,
  MessagesStreamTranslator,
  openAIToMessage,
  takesMessagesUntranslated,
  withoutTopLevel,
  withTopLevelString,
  type AnthropicPassThrough,
  type AnthropicPassThroughAnswer,
  type CountTokensRequest,
  type IshExtensions,
  type MessagesRequest,
  type SseEvent,
} from '@ish/providers';
import { ApiError } from '@ish/platform';
import { CallerContext, ChatExecutor, ChatParams, NativeRoute, NativeStream, RelayCoreConfig, Served } from '@ish/relay-core';
import { AnthropicRequestError } from './anthropic-exception.filter';

/** The request as the client sent it, for Anthropic instances: its bytes and its version headers. */
export interface RawMessagesRequest {
  body: Buffer;
  /** `anthropic-version` as sent; undefined when the client sent none (the instance's setting then) */
  anthropicVersion?: string;
  anthropicBeta?: string;
}

/** An Anthropic instance's answer as it gave it (`passed`), or the translated path's Message. */
export type MessageServed = Served & {
  costUsd: number;
  /** parameters dropped under `drop_params` (x-ish-dropped-params) */
  droppedParams: string[];
} & ({ passed: AnthropicPassThroughAnswer; message?: undefined } | { message: Message; passed?: undefined });

/** An Anthropic instance's events as they come (`events`), or OpenAI chunks and the translator that makes them Messages events. */
export type MessagesStreamServed = Served & { droppedParams: string[] } & (
    | { events: AsyncIterable<SseEvent>; translated?: undefined }
    | { translated: { chunks: AsyncIterable<ChatCompletionChunk>; translator: MessagesStreamTranslator }; events?: undefined }
  );

type Translation = { params: ChatParams; dropped: string[] } | { error: Error };

/**
 * The Messages API on the one AI-call path (the ChatExecutor's routing, failover, circuits and request
 * log): an Anthropic instance gets the request untranslated, byte for byte; any other its OpenAI form (the
 * pure core in @ish/providers), the answer translated back.
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly config: RelayCoreConfig,
    private readonly executor: ChatExecutor,
  ) {}

  async create(request: MessagesRequest, raw: RawMessagesRequest, caller: CallerContext): Promise<MessageServed> {
    this.checkSize(request);
    const served = await this.executor.completeRouted(request.model, translation(request), caller, {}, passThrough(request, raw));
    if (served.answer) return { ...served, passed: served.answer };
    return { ...served, message: openAIToMessage(served.completion, { model: request.model, stopSequences: request.stop_sequences }) };
  }

  /** Fails over until the first event (or chunk); after that the stream is the instance's. */
  async stream(request: MessagesRequest, raw: RawMessagesRequest, caller: CallerContext): Promise<MessagesStreamServed> {
    this.checkSize(request);
    // the usage chunk is what message_delta reports: always asked for
    const served = await this.executor.streamRouted(request.model, translation(request), caller, true, {}, passThrough(request, raw));
    if (served.events) return { ...served, events: served.events };
    // message_start must say how many input tokens before the provider does: the local estimate
    const { input_tokens } = await countMessageTokens(request);
    const translator = new MessagesStreamTranslator({ model: request.model, stopSequences: request.stop_sequences, estimatedInputTokens: input_tokens });
    return { ...served, translated: { chunks: served.chunks, translator } };
  }

  /** `count_tokens`: Anthropic's own count when the route goes to an Anthropic instance, else a local estimate (o200k_base). */
  async countTokens(request: CountTokensRequest, raw: RawMessagesRequest, caller: CallerContext): Promise<Record<string, unknown>> {
    const counted = await this.executor.askNative(request.model, caller, takesMessagesUntranslated, async (client, model, signal) => {
      return (await client.anthropicPassThrough(upstreamCall(request, raw, model, 'countTokens'), signal)).body;
    });
    return counted ?? { ...(await countMessageTokens(request)) };
  }

  private checkSize(request: MessagesRequest): void {
    if (textLength(request) > this.config.MAX_MESSAGE_CHARS) {
      throw new ApiError(413, 'invalid_request_error', 'message_too_long', `messages hold more than ${this.config.MAX_MESSAGE_CHARS} characters`);
    }
  }
}

/** The OpenAI form, made once and only when an instance needs it (an Anthropic-only feature is no error for Anthropic). */
function translation(request: MessagesRequest): () => Translation {
  let made: Translation | undefined;
  return () => (made ??= translate(request));
}

function translate(request: MessagesRequest): Translation {
  const translated = messagesToOpenAI(request, { dropParams: request.drop_params === true });
  if (!translated.ok) return { error: new AnthropicRequestError(translated.error) };
  const { stream: _stream, stream_options: _options, ...params } = translated.request;
  return { params: params as ChatParams, dropped: translated.dropped };
}

function upstreamCall(request: CountTokensRequest & IshExtensions, raw: RawMessagesRequest, model: string, endpoint: AnthropicPassThrough['endpoint']): AnthropicPassThrough {
  // not as sent: our own `drop_params` (Anthropic refuses fields it does not know) and `model` when routing chose another
  const ours = request.drop_params === undefined ? raw.body : withoutTopLevel(raw.body, 'drop_params');
  const body = model === request.model ? ours : withTopLevelString(ours, 'model', model);
  return { endpoint, body, anthropicVersion: raw.anthropicVersion, anthropicBeta: raw.anthropicBeta };
}

function passThrough(request: MessagesRequest, raw: RawMessagesRequest): NativeRoute<AnthropicPassThroughAnswer, SseEvent> {
  return {
    takes: takesMessagesUntranslated,
    complete: async (client, model, signal) => {
      const answer = await client.anthropicPassThrough(upstreamCall(request, raw, model, 'messages'), signal);
      return { answer, usage: anthropicUsage(answer.body.usage) };
    },
    stream: async (client, model, signal) => relayed(await client.anthropicPassThroughStream(upstreamCall(request, raw, model, 'messages'), signal)),
  };
}

/**
 * Anthropic's events passed on unchanged, reading the usage of message_start and message_delta on the
 * way. An `error` event is passed on too (the stream failed); as the very first event it is thrown instead,
 * so failover tries the next instance before the client saw a byte.
 */
export function relayed(upstream: AsyncIterable<SseEvent>): NativeStream<SseEvent> {
  const usage: Record<string, unknown> = {};
  let seenUsage = false;
  let failed = false;
  async function* events(): AsyncGenerator<SseEvent> {
    let first = true;
    for await (const event of upstream) {
      if (event.event === 'message_start' || event.event === 'message_delta' || event.event === 'error') {
        const data = parsed(event.data);
        if (event.event === 'error') {
          if (first) throw mapAnthropicError(undefined, data);
          failed = true;
        } else {
          const message = event.event === 'message_start' ? (data.message as Record<string, unknown> | undefined) : data;
          mergeAnthropicUsage(usage, message?.usage);
          seenUsage ||= typeof message?.usage === 'object';
        }
      }
      first = false;
      yield event;
    }
  }
  return { events: events(), state: () => ({ usage: seenUsage ? anthropicUsage(usage) : undefined, failed }) };
}

function parsed(data: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Characters of text in `system` and the messages' text and tool-result blocks (MAX_MESSAGE_CHARS, as on /chat/completions). */
export function textLength(request: MessagesRequest): number {
  const blocks = (content: unknown): number => {
    if (typeof content === 'string') return content.length;
    if (!Array.isArray(content)) return 0;
    return content.reduce<number>((sum, block: { type?: string; text?: unknown; content?: unknown }) => {
      if (block.type === 'text' && typeof block.text === 'string') return sum + block.text.length;
      if (block.type === 'tool_result') return sum + blocks(block.content);
      return sum;
    }, 0);
  };
  return blocks(request.system) + request.messages.reduce((sum, message) => sum + blocks(message.content), 0);
}
