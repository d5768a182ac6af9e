import type { MessageDeltaUsage, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { anthropicErrorBody, type AnthropicErrorBody } from './anthropic-errors';
import { messageId, messagesStopReason, messagesUsage, reasoningOf } from './openai-to-messages';

/** What the route writes: the Messages stream events, Anthropic's keep-alive `ping`, and a mid-stream `error`. */
export type MessagesStreamEvent = RawMessageStreamEvent | { type: 'ping' } | AnthropicErrorBody;

export interface MessagesStreamOptions {
  /** the model the client asked for: Anthropic answers with it */
  model: string;
  /** the request's `stop_sequences`, to tell which one stopped the answer */
  stopSequences?: readonly string[];
  /** `message_start` must carry input tokens before the provider reports usage: the local estimate, corrected in `message_delta` */
  estimatedInputTokens?: number;
}

type OpenBlock = { kind: 'text' } | { kind: 'thinking' } | { kind: 'tool' };

/** One Server-Sent Event as Anthropic writes it: `event: <type>` and the JSON. */
export function serializeMessagesEvent(event: MessagesStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * Turns OpenAI ChatCompletionChunks, fed as they arrive, into the Messages event sequence: `message_start`,
 * `ping`, per block `content_block_start` / `content_block_delta` / `content_block_stop` (one block at a time,
 * indexes in order: thinking, text and each tool call get their own), then `message_delta` with the stop
 * reason and usage and `message_stop` once the upstream stream ended.
 */
export class MessagesStreamTranslator {
  private started = false;
  private finished = false;
  private id: string | undefined;
  private nextIndex = 0;
  private open: { index: number; block: OpenBlock } | undefined;
  /** OpenAI tool call (by `index`, or `id` where a provider leaves the index out) → its block index, once started */
  private readonly toolBlocks = new Map<number | string, number>();
  private lastToolKey: number | string | undefined;
  private finishReason: ChatCompletionChunk.Choice['finish_reason'] = null;
  private choiceWithStop: unknown;
  /** the end of the text so far, as long as the longest stop sequence: enough to see which one stopped it */
  private textTail = '';
  private readonly tailLength: number;
  private refusal = '';
  private usage: CompletionUsage | undefined;
  private serviceTier: string | null | undefined;

  constructor(private readonly options: MessagesStreamOptions) {
    this.tailLength = Math.max(0, ...(options.stopSequences ?? []).map((s) => s.length));
  }

  /** Events for one upstream chunk (none while nothing new arrived). */
  push(chunk: ChatCompletionChunk): MessagesStreamEvent[] {
    if (this.finished) return [];
    const events: MessagesStreamEvent[] = [];
    this.start(events, chunk.id);
    if (chunk.usage) this.usage = chunk.usage;
    if (chunk.service_tier) this.serviceTier = chunk.service_tier;
    const choice = chunk.choices[0];
    if (!choice) return events;
    const delta = choice.delta ?? {};
    const reasoning = reasoningOf(delta);
    if (reasoning) this.append(events, { kind: 'thinking' }, { type: 'thinking_delta', thinking: reasoning });
    if (typeof delta.content === 'string' && delta.content !== '') {
      if (this.tailLength) this.textTail = (this.textTail + delta.content).slice(-this.tailLength);
      this.append(events, { kind: 'text' }, { type: 'text_delta', text: delta.content });
    }
    if (typeof delta.refusal === 'string' && delta.refusal !== '') {
      this.refusal += delta.refusal;
      this.append(events, { kind: 'text' }, { type: 'text_delta', text: delta.refusal });
    }
    for (const call of delta.tool_calls ?? []) this.toolCall(events, call);
    if (choice.finish_reason) {
      this.finishReason = choice.finish_reason;
      this.choiceWithStop = choice;
    }
    return events;
  }

  /** Events owed once the upstream stream ended: the last `content_block_stop`, `message_delta`, `message_stop`. */
  end(): MessagesStreamEvent[] {
    if (this.finished) return [];
    const events: MessagesStreamEvent[] = [];
    this.start(events, undefined);
    this.closeBlock(events);
    const finish = this.refusal ? 'content_filter' : this.finishReason;
    const { stopReason, stopSequence } = messagesStopReason(finish, this.choiceWithStop, this.textTail, this.options.stopSequences, this.toolBlocks.size > 0);
    events.push({
      type: 'message_delta',
      delta: {
        stop_reason: stopReason,
        stop_sequence: stopSequence,
        stop_details: stopReason === 'refusal' ? { type: 'refusal', category: null, explanation: this.refusal || null } : null,
        container: null,
      },
      usage: this.deltaUsage(),
    });
    events.push({ type: 'message_stop' });
    this.finished = true;
    return events;
  }

  /** The `error` event for a failure mid-stream; nothing follows it. */
  error(type: AnthropicErrorBody['error']['type'], message: string, code?: string): MessagesStreamEvent[] {
    if (this.finished) return [];
    this.finished = true;
    return [anthropicErrorBody(type, message, code)];
  }

  private start(events: MessagesStreamEvent[], upstreamId: string | undefined): void {
    if (this.started) return;
    this.started = true;
    this.id = messageId(upstreamId);
    events.push({
      type: 'message_start',
      message: {
        id: this.id,
        type: 'message',
        role: 'assistant',
        model: this.options.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        stop_details: null,
        container: null,
        diagnostics: null,
        usage: { ...messagesUsage(undefined), input_tokens: this.options.estimatedInputTokens ?? 0, output_tokens_details: null },
      },
    });
    events.push({ type: 'ping' });
  }

  /** A delta for a text or thinking block: continues the open block of that kind or starts a new one. */
  private append(events: MessagesStreamEvent[], block: { kind: 'text' } | { kind: 'thinking' }, delta: { type: 'text_delta'; text: string } | { type: 'thinking_delta'; thinking: string }): void {
    if (this.open?.block.kind !== block.kind) {
      this.closeBlock(events);
      const index = this.nextIndex++;
      this.open = { index, block };
      events.push({
        type: 'content_block_start',
        index,
        content_block: block.kind === 'text' ? { type: 'text', text: '', citations: null } : { type: 'thinking', thinking: '', signature: '' },
      });
    }
    events.push({ type: 'content_block_delta', index: this.open.index, delta });
  }

  private toolCall(events: MessagesStreamEvent[], call: ChatCompletionChunk.Choice.Delta.ToolCall): void {
    const key = this.toolKey(call);
    let index = this.toolBlocks.get(key);
    if (index === undefined) {
      this.closeBlock(events);
      index = this.nextIndex++;
      this.toolBlocks.set(key, index);
      this.open = { index, block: { kind: 'tool' } };
      events.push({
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: call.id ?? `toolu_${this.id?.slice(4)}_${index}`, name: call.function?.name ?? '', input: {}, caller: { type: 'direct' } },
      });
    }
    this.lastToolKey = key;
    const args = call.function?.arguments;
    if (args) events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: args } });
  }

  /** A delta without `index` (Gemini's OpenAI endpoint) continues the call it names by id, else the last one. */
  private toolKey(call: ChatCompletionChunk.Choice.Delta.ToolCall): number | string {
    if (typeof call.index === 'number') return call.index;
    if (call.id) return `id:${call.id}`;
    return this.lastToolKey ?? 0;
  }

  private closeBlock(events: MessagesStreamEvent[]): void {
    if (!this.open) return;
    events.push({ type: 'content_block_stop', index: this.open.index });
    this.open = undefined;
  }

  private deltaUsage(): MessageDeltaUsage {
    const usage = messagesUsage(this.usage, this.serviceTier);
    return {
      output_tokens: usage.output_tokens,
      input_tokens: this.usage ? usage.input_tokens : null,
      cache_creation_input_tokens: this.usage ? usage.cache_creation_input_tokens : null,
      cache_read_input_tokens: this.usage ? usage.cache_read_input_tokens : null,
      output_tokens_details: usage.output_tokens_details,
      server_tool_use: null,
    };
  }
}
