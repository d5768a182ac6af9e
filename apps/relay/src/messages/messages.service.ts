import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import {
  countMessageTokens,
  estimateCostUsd,
  loadMessageTokenizer,
  messagesToOpenAI,
  MessagesStreamTranslator,
  openAIToMessage,
  type CountTokensRequest,
  type MessagesRequest,
} from '@ish/providers';
import { ApiError } from '@ish/platform';
import { CallerContext, ChatExecutor, ChatParams, RelayCoreConfig, Served, StreamHandle } from '@ish/relay-core';
import { AnthropicRequestError } from './anthropic-exception.filter';

/** the tokenizer is built once, after start-up: ~2 s of CPU that must not hold up readiness */
const TOKENIZER_LOAD_DELAY_MS = 1000;

export interface MessageServed extends Served {
  message: Message;
  costUsd: number;
  /** parameters dropped under `drop_params` (x-ish-dropped-params) */
  droppedParams: string[];
}

export interface MessagesStreamServed extends StreamHandle {
  translator: MessagesStreamTranslator;
  droppedParams: string[];
}

/**
 * The Messages API on top of the one AI-call path: the validated request is translated to our OpenAI
 * form (the pure core in @ish/providers), served by the ChatExecutor with its routing, failover,
 * circuits and request log, and the answer translated back.
 */
@Injectable()
export class MessagesService implements OnApplicationBootstrap {
  private readonly logger = new Logger('MessagesService');

  constructor(
    private readonly config: RelayCoreConfig,
    private readonly executor: ChatExecutor,
  ) {}

  onApplicationBootstrap(): void {
    setTimeout(() => {
      loadMessageTokenizer().catch((error: unknown) => this.logger.error({ err: error }, 'loading the o200k_base tokenizer failed'));
    }, TOKENIZER_LOAD_DELAY_MS).unref();
  }

  async create(request: MessagesRequest, caller: CallerContext): Promise<MessageServed> {
    const { params, dropped } = this.translate(request);
    const served = await this.executor.complete(params, caller);
    const usage = served.completion.usage;
    return {
      ...served,
      message: openAIToMessage(served.completion, { model: request.model, stopSequences: request.stop_sequences }),
      costUsd: estimateCostUsd(served.instance.providerType, served.model, usage?.prompt_tokens ?? 0, usage?.completion_tokens ?? 0),
      droppedParams: dropped,
    };
  }

  /** Fails over until the first chunk; after that the translator turns each chunk into Messages events. */
  async stream(request: MessagesRequest, caller: CallerContext): Promise<MessagesStreamServed> {
    const { params, dropped } = this.translate(request);
    const { input_tokens } = await countMessageTokens(request);
    // the usage chunk is what message_delta reports: always asked for
    const handle = await this.executor.stream(params, caller, true);
    const translator = new MessagesStreamTranslator({ model: request.model, stopSequences: request.stop_sequences, estimatedInputTokens: input_tokens });
    return { ...handle, translator, droppedParams: dropped };
  }

  /** `count_tokens` for an instance that is not Anthropic: a local estimate (o200k_base). */
  async countTokens(request: CountTokensRequest): Promise<{ input_tokens: number }> {
    this.executor.assertModelKnown(request.model);
    return countMessageTokens(request);
  }

  private translate(request: MessagesRequest): { params: ChatParams; dropped: string[] } {
    if (textLength(request) > this.config.MAX_MESSAGE_CHARS) {
      throw new ApiError(413, 'invalid_request_error', 'message_too_long', `messages hold more than ${this.config.MAX_MESSAGE_CHARS} characters`);
    }
    const translation = messagesToOpenAI(request, { dropParams: request.drop_params === true });
    if (!translation.ok) throw new AnthropicRequestError(translation.error);
    const { stream: _stream, stream_options: _options, ...params } = translation.request;
    return { params: params as ChatParams, dropped: translation.dropped };
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
