import type { ChatCompletion, ChatCompletionMessageToolCall } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';

type Json = Record<string, unknown>;
export type OpenAIFinishReason = ChatCompletion.Choice['finish_reason'];

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

const FINISH_REASONS: Readonly<Record<string, OpenAIFinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  tool_use: 'tool_calls',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  refusal: 'content_filter',
};

/** Anthropic's `stop_reason` as OpenAI's `finish_reason`. */
export function mapStopReason(reason: unknown): OpenAIFinishReason {
  return (typeof reason === 'string' && FINISH_REASONS[reason]) || 'stop';
}

/**
 * Anthropic usage as OpenAI's: `input_tokens` leaves out cache reads and writes, OpenAI's
 * `prompt_tokens` includes them; `cached_tokens` are the ones read from the cache, and
 * `cache_creation_tokens` (ours) the ones written to it, which cost more.
 */
export function mapUsage(usage: unknown): CompletionUsage {
  const u = isObject(usage) ? usage : {};
  const cacheRead = count(u.cache_read_input_tokens);
  const cacheCreation = count(u.cache_creation_input_tokens);
  const prompt = count(u.input_tokens) + cacheRead + cacheCreation;
  const completion = count(u.output_tokens);
  const details = isObject(u.output_tokens_details) ? u.output_tokens_details : undefined;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead, ...(cacheCreation > 0 ? { cache_creation_tokens: cacheCreation } : {}) },
    ...(details && typeof details.thinking_tokens === 'number' ? { completion_tokens_details: { reasoning_tokens: details.thinking_tokens } } : {}),
  };
}

export function toolCallOf(block: Json): ChatCompletionMessageToolCall {
  return { id: String(block.id ?? ''), type: 'function', function: { name: String(block.name ?? ''), arguments: JSON.stringify(block.input ?? {}) } };
}

/** An Anthropic Message as a chat completion: text joined, tool_use → tool_calls, thinking → reasoning_content. */
export function mapAnthropicResponse(body: unknown, now: () => number = Date.now): ChatCompletion {
  const message = isObject(body) ? body : {};
  const blocks = Array.isArray(message.content) ? message.content.filter(isObject) : [];
  let text = '';
  let reasoning = '';
  const toolCalls: ChatCompletionMessageToolCall[] = [];
  const thinkingBlocks: Json[] = [];
  for (const block of blocks) {
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    else if (block.type === 'tool_use') toolCalls.push(toolCallOf(block));
    else if (block.type === 'thinking') {
      reasoning += typeof block.thinking === 'string' ? block.thinking : '';
      thinkingBlocks.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
    } else if (block.type === 'redacted_thinking') thinkingBlocks.push({ type: 'redacted_thinking', data: block.data });
  }
  const finishReason = mapStopReason(message.stop_reason);
  const assistant = {
    role: 'assistant' as const,
    content: text === '' && toolCalls.length > 0 ? null : text,
    refusal: null,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    // beyond OpenAI's shape, as OpenAI-compatible gateways return thinking: the text, and the blocks to send back
    ...(thinkingBlocks.length > 0 ? { reasoning_content: reasoning, thinking_blocks: thinkingBlocks } : {}),
  };
  return {
    id: String(message.id ?? ''),
    object: 'chat.completion',
    created: Math.floor(now() / 1000),
    model: String(message.model ?? ''),
    choices: [{ index: 0, message: assistant, finish_reason: finishReason, logprobs: null }],
    usage: mapUsage(message.usage),
  };
}
