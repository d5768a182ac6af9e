import type { ContentBlock, Message, StopReason, Usage } from '@anthropic-ai/sdk/resources/messages';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';

export interface MessagesAnswerOptions {
  /** the model the client asked for: Anthropic answers with it */
  model?: string;
  /** the request's `stop_sequences`, to tell which one stopped the answer */
  stopSequences?: readonly string[];
}

type FinishReason = ChatCompletion.Choice['finish_reason'] | null | undefined;

/** An OpenAI ChatCompletion → the Messages API answer (`type: "message"`). */
export function openAIToMessage(completion: ChatCompletion, options: MessagesAnswerOptions = {}): Message {
  const choice = completion.choices[0];
  const message = choice?.message;
  const content: ContentBlock[] = [];
  const reasoning = reasoningOf(message);
  if (reasoning) content.push({ type: 'thinking', thinking: reasoning, signature: '' });
  const text = typeof message?.content === 'string' ? message.content : '';
  if (text !== '') content.push({ type: 'text', text, citations: null });
  const refusal = message?.refusal;
  if (refusal) content.push({ type: 'text', text: refusal, citations: null });
  for (const call of message?.tool_calls ?? []) {
    if (call.type !== 'function') continue;
    content.push({ type: 'tool_use', id: call.id, name: call.function.name, input: parseToolInput(call.function.arguments), caller: { type: 'direct' } });
  }
  const hasToolUse = content.some((block) => block.type === 'tool_use');
  const { stopReason, stopSequence } = messagesStopReason(refusal ? 'content_filter' : choice?.finish_reason, choice, text, options.stopSequences, hasToolUse);
  return {
    id: messageId(completion.id),
    type: 'message',
    role: 'assistant',
    model: options.model ?? completion.model,
    content,
    stop_reason: stopReason,
    stop_sequence: stopSequence,
    stop_details: stopReason === 'refusal' ? { type: 'refusal', category: null, explanation: refusal || null } : null,
    container: null,
    diagnostics: null,
    usage: messagesUsage(completion.usage, completion.service_tier),
  };
}

/** `msg_` and the upstream id's letters and digits, so one answer keeps one id across logs. */
export function messageId(upstreamId: string | undefined): string {
  const tail = (upstreamId ?? '').replace(/^chatcmpl-/, '').replace(/[^A-Za-z0-9]/g, '');
  return `msg_${tail || randomTail()}`;
}

function randomTail(): string {
  return Math.random().toString(36).slice(2, 14) + Date.now().toString(36);
}

/** The model's reasoning as OpenAI-protocol providers return it: `reasoning_content` (DeepSeek, vLLM, ZAI) or `reasoning`. */
export function reasoningOf(message: unknown): string {
  if (typeof message !== 'object' || message === null) return '';
  const record = message as Record<string, unknown>;
  const value = record['reasoning_content'] ?? record['reasoning'];
  return typeof value === 'string' ? value : '';
}

/** Tool arguments as the object Anthropic clients expect; text that is not a JSON object is kept as the raw string. */
export function parseToolInput(args: string): unknown {
  if (args.trim() === '') return {};
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}

/**
 * `finish_reason` → `stop_reason`. OpenAI does not say which stop sequence matched: vLLM's `stop_reason`
 * and SGLang's `matched_stop` do, and a provider that keeps the sequence in the text shows it at the end.
 * An answer with tool calls is `tool_use` even when the provider said `stop` (Ollama does), since Anthropic
 * clients run tools only on `tool_use`.
 */
export function messagesStopReason(
  finishReason: FinishReason,
  choice: unknown,
  text: string,
  stopSequences: readonly string[] = [],
  hasToolUse = false,
): { stopReason: StopReason; stopSequence: string | null } {
  if (hasToolUse && (finishReason === 'stop' || finishReason === null || finishReason === undefined)) return { stopReason: 'tool_use', stopSequence: null };
  switch (finishReason) {
    case 'length':
      return { stopReason: 'max_tokens', stopSequence: null };
    case 'tool_calls':
    case 'function_call':
      return { stopReason: 'tool_use', stopSequence: null };
    case 'content_filter':
      return { stopReason: 'refusal', stopSequence: null };
    default: {
      const matched = matchedStopSequence(choice, text, stopSequences);
      return matched === null ? { stopReason: 'end_turn', stopSequence: null } : { stopReason: 'stop_sequence', stopSequence: matched };
    }
  }
}

function matchedStopSequence(choice: unknown, text: string, stopSequences: readonly string[]): string | null {
  if (stopSequences.length === 0) return null;
  const record = typeof choice === 'object' && choice !== null ? (choice as Record<string, unknown>) : {};
  for (const reported of [record['stop_reason'], record['matched_stop']]) if (typeof reported === 'string' && stopSequences.includes(reported)) return reported;
  return stopSequences.find((sequence) => sequence !== '' && text.endsWith(sequence)) ?? null;
}

/** OpenAI usage → Anthropic usage: `input_tokens` excludes cache reads, as Anthropic counts them apart. */
export function messagesUsage(usage: CompletionUsage | undefined | null, serviceTier?: string | null): Usage {
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens;
  return {
    input_tokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cached),
    output_tokens: usage?.completion_tokens ?? 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
    cache_creation: null,
    inference_geo: null,
    output_tokens_details: reasoning === undefined ? null : { thinking_tokens: reasoning },
    server_tool_use: null,
    service_tier: serviceTier === 'priority' ? 'priority' : 'standard',
    speed: null,
  };
}
