import type { ChatCompletionContentPart, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ChatParams } from './chat-executor';

/** Counts the tokens of a text (estimateTextTokens in the services; any counter in tests). */
export type CountText = (text: string) => number;

/** OpenAI's published framing: 3 tokens per message and 3 to prime the reply (as countMessageTokens counts). */
const MESSAGE_FRAMING = 3;
const REPLY_PRIMING = 3;
/** An image, audio clip or file part: OpenAI's count of a high-detail 1024 × 1024 image; the true-up corrects it. */
export const NON_TEXT_PART_TOKENS = 765;

/**
 * What a chat request may use in tokens: its prompt, counted, plus the completion it allows
 * (`max_completion_tokens` or `max_tokens`, times `n`). The allowance is reserved as OpenAI's own
 * limiter does, so that concurrent calls of one key see what is in flight; the true-up gives back what
 * the answer did not use.
 */
export function estimateChatTokens(params: ChatParams, count: CountText): number {
  let prompt = REPLY_PRIMING;
  for (const message of params.messages) prompt += MESSAGE_FRAMING + messageTokens(message, count);
  if (params.tools && params.tools.length > 0) prompt += count(JSON.stringify(params.tools));
  const allowance = params.max_completion_tokens ?? params.max_tokens ?? 0;
  return prompt + Math.max(0, allowance) * Math.max(1, params.n ?? 1);
}

function messageTokens(message: ChatCompletionMessageParam, count: CountText): number {
  let total = 'name' in message && message.name ? count(message.name) : 0;
  const content = message.content;
  if (typeof content === 'string') total += count(content);
  else if (Array.isArray(content)) for (const part of content as ChatCompletionContentPart[]) total += part.type === 'text' ? count(part.text) : NON_TEXT_PART_TOKENS;
  if (message.role === 'assistant' && message.tool_calls) total += count(JSON.stringify(message.tool_calls));
  return total;
}

/** An embeddings request's tokens: text counted, token arrays as they are. */
export function estimateEmbeddingTokens(input: EmbeddingCreateParams['input'], count: CountText): number {
  if (typeof input === 'string') return count(input);
  let total = 0;
  for (const item of input as Array<string | number | number[]>) {
    if (typeof item === 'string') total += count(item);
    else if (Array.isArray(item)) total += item.length;
    else total += 1;
  }
  return total;
}

/** The tokens a call really used: prompt + completion as the provider reported them. */
export function usedTokens(usage: Pick<CompletionUsage, 'prompt_tokens' | 'completion_tokens'>): number {
  return Math.max(0, Math.round(usage.prompt_tokens ?? 0)) + Math.max(0, Math.round(usage.completion_tokens ?? 0));
}

/**
 * Whether a call may start, given the minute's tokens once its own reservation was added: those
 * before it must be under the limit ("at or over" refuses; the call that crosses the limit runs).
 */
export function admitsCall(minuteTokensWithReservation: number, reserved: number, limit: number): boolean {
  return minuteTokensWithReservation - reserved < limit;
}

/**
 * What to add once the real usage is known: the difference to the reservation (negative gives back).
 * When the reservation's minute is over, it went with that minute: only usage beyond it counts in the new
 * one (giving back there would open a window below zero).
 */
export function trueUpDelta(reserved: number, usage: Pick<CompletionUsage, 'prompt_tokens' | 'completion_tokens'>, minuteOver = false): number {
  const delta = usedTokens(usage) - reserved;
  return minuteOver ? Math.max(0, delta) : delta;
}

/**
 * The services' counter: 4 characters a token (OpenAI's rule of thumb for English). The figure is only
 * the reservation before the call and the provider's usage replaces it after; a tokenizer here cost
 * every relay and worker ~250 MB, a 2.5 s start-up stall and a fifth of its throughput for a key with a
 * limit (tools/bench/overhead.js), to refine a number that is corrected anyway.
 */
export const estimateTextTokens: CountText = (text) => (text === '' ? 0 : Math.ceil(text.length / CHARS_PER_TOKEN));
const CHARS_PER_TOKEN = 4;
