import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { SseEvent } from '../../sse-decoder';
import type { StreamTranslator } from '../adapter-types';
import { mapAnthropicError } from './anthropic-errors';
import { mapStopReason, mapUsage, OpenAIFinishReason } from './anthropic-response';

type Json = Record<string, unknown>;
type Delta = ChatCompletionChunk.Choice.Delta & Json;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a content block index stands for while its deltas arrive. */
type OpenBlock = { kind: 'text' } | { kind: 'thinking'; thinking: string } | { kind: 'tool'; toolIndex: number } | { kind: 'other' };

/** message_delta's usage into message_start's: it is cumulative, and a field it leaves null keeps the earlier value. */
export function mergeAnthropicUsage(usage: Record<string, unknown>, delta: unknown): void {
  if (!isObject(delta)) return;
  for (const [key, value] of Object.entries(delta)) if (value !== null && value !== undefined) usage[key] = value;
}

/** A stream that broke the protocol (unparsable data, no message_start, ended early): the instance failed. */
export class AnthropicStreamError extends Error {
  override readonly name = 'AnthropicStreamError';
}

/**
 * Anthropic's stream events (message_start, content_block_start/delta/stop, message_delta, message_stop,
 * ping, error) as OpenAI chunks, translated as they arrive. A tool call opens with a chunk holding its
 * index, id, type, name and empty arguments, then one chunk per argument piece; the finish reason comes
 * with message_delta and a usage chunk (no choices) with message_stop. An `error` event throws an
 * AnthropicApiError carrying the error's status (overloaded_error: 529, retryable).
 */
export class AnthropicStreamTranslator implements StreamTranslator {
  private id = '';
  private model = '';
  private readonly created: number;
  private usage: Json = {};
  private readonly blocks = new Map<number, OpenBlock>();
  private nextToolIndex = 0;
  private finishReason: OpenAIFinishReason | undefined;
  private started = false;
  private stopped = false;

  constructor(now: () => number = Date.now) {
    this.created = Math.floor(now() / 1000);
  }

  push(event: SseEvent): ChatCompletionChunk[] {
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      throw new AnthropicStreamError(`Anthropic sent an unreadable stream event: ${event.data.slice(0, 200)}`);
    }
    const payload = isObject(data) ? data : {};
    const type = event.event ?? payload.type;
    if (type === 'error') throw mapAnthropicError(undefined, payload);
    if (type === 'ping') return [];
    if (type === 'message_start') return this.messageStart(payload);
    if (!this.started) throw new AnthropicStreamError(`Anthropic sent ${String(type)} before message_start`);
    switch (type) {
      case 'content_block_start':
        return this.blockStart(payload);
      case 'content_block_delta':
        return this.blockDelta(payload);
      case 'content_block_stop':
        this.blocks.delete(Number(payload.index));
        return [];
      case 'message_delta':
        return this.messageDelta(payload);
      case 'message_stop':
        return this.messageStop();
      default:
        // event types added later are skipped, as Anthropic's versioning policy asks of clients
        return [];
    }
  }

  end(): ChatCompletionChunk[] {
    if (this.stopped) return [];
    if (this.finishReason === undefined) throw new AnthropicStreamError('the Anthropic stream ended before its message was complete');
    return this.messageStop();
  }

  private chunk(delta: Delta, finishReason: OpenAIFinishReason | null = null): ChatCompletionChunk {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    };
  }

  private messageStart(payload: Json): ChatCompletionChunk[] {
    const message = isObject(payload.message) ? payload.message : {};
    this.id = String(message.id ?? '');
    this.model = String(message.model ?? '');
    this.usage = isObject(message.usage) ? { ...message.usage } : {};
    this.started = true;
    return [this.chunk({ role: 'assistant', content: '' })];
  }

  private blockStart(payload: Json): ChatCompletionChunk[] {
    const index = Number(payload.index);
    const block = isObject(payload.content_block) ? payload.content_block : {};
    if (block.type === 'text') {
      this.blocks.set(index, { kind: 'text' });
      return typeof block.text === 'string' && block.text ? [this.chunk({ content: block.text })] : [];
    }
    if (block.type === 'thinking') {
      const thinking = typeof block.thinking === 'string' ? block.thinking : '';
      this.blocks.set(index, { kind: 'thinking', thinking });
      return thinking ? [this.chunk({ reasoning_content: thinking })] : [];
    }
    if (block.type === 'redacted_thinking') {
      this.blocks.set(index, { kind: 'other' });
      return [this.chunk({ thinking_blocks: [{ type: 'redacted_thinking', data: block.data }] })];
    }
    if (block.type === 'tool_use') {
      const toolIndex = this.nextToolIndex++;
      this.blocks.set(index, { kind: 'tool', toolIndex });
      const call = { index: toolIndex, id: String(block.id ?? ''), type: 'function' as const, function: { name: String(block.name ?? ''), arguments: '' } };
      return [this.chunk({ tool_calls: [call] })];
    }
    this.blocks.set(index, { kind: 'other' });
    return [];
  }

  private blockDelta(payload: Json): ChatCompletionChunk[] {
    const block = this.blocks.get(Number(payload.index));
    const delta = isObject(payload.delta) ? payload.delta : {};
    if (!block) return [];
    if (delta.type === 'text_delta' && block.kind === 'text') {
      return typeof delta.text === 'string' && delta.text ? [this.chunk({ content: delta.text })] : [];
    }
    if (delta.type === 'input_json_delta' && block.kind === 'tool') {
      const piece = typeof delta.partial_json === 'string' ? delta.partial_json : '';
      return piece ? [this.chunk({ tool_calls: [{ index: block.toolIndex, function: { arguments: piece } }] })] : [];
    }
    if (delta.type === 'thinking_delta' && block.kind === 'thinking') {
      const piece = typeof delta.thinking === 'string' ? delta.thinking : '';
      block.thinking += piece;
      return piece ? [this.chunk({ reasoning_content: piece })] : [];
    }
    if (delta.type === 'signature_delta' && block.kind === 'thinking') {
      // the whole block, signed: what a client sends back on its next turn (as thinking_blocks)
      return [this.chunk({ thinking_blocks: [{ type: 'thinking', thinking: block.thinking, signature: delta.signature }] })];
    }
    return [];
  }

  private messageDelta(payload: Json): ChatCompletionChunk[] {
    const delta = isObject(payload.delta) ? payload.delta : {};
    mergeAnthropicUsage(this.usage, payload.usage);
    this.finishReason = mapStopReason(delta.stop_reason);
    return [this.chunk({}, this.finishReason)];
  }

  private messageStop(): ChatCompletionChunk[] {
    if (this.stopped) return [];
    this.stopped = true;
    const usage: CompletionUsage = mapUsage(this.usage);
    return [{ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [], usage }];
  }
}
