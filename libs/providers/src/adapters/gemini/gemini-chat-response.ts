import { randomUUID } from 'node:crypto';
import type { ChatCompletion, ChatCompletionMessageFunctionToolCall, ChatCompletionTokenLogprob } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { AdapterSettings } from '../adapter-types';
import { geminiModelName } from './gemini-api';
import { encodeToolCallId } from './gemini-tool-call-id';
import type { GeminiCandidate, GeminiGenerateContentResponse, GeminiPart, GeminiUsageMetadata } from './gemini-wire';

export type OpenAIFinishReason = ChatCompletion.Choice['finish_reason'];

const CONTENT_FILTER_REASONS = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/** Gemini's finishReason in OpenAI's terms; a turn that called functions ends in `tool_calls`. */
export function mapFinishReason(reason: string | undefined, calledFunctions: boolean): OpenAIFinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason !== undefined && CONTENT_FILTER_REASONS.has(reason)) return 'content_filter';
  return calledFunctions ? 'tool_calls' : 'stop';
}

/** usageMetadata → usage; thoughts count as completion tokens, as OpenAI counts reasoning tokens. */
export function mapUsage(usage: GeminiUsageMetadata): CompletionUsage {
  const prompt = (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0);
  const completion = (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0);
  const result: CompletionUsage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: usage.totalTokenCount ?? prompt + completion };
  if (usage.cachedContentTokenCount !== undefined) result.prompt_tokens_details = { cached_tokens: usage.cachedContentTokenCount };
  if (usage.thoughtsTokenCount !== undefined) result.completion_tokens_details = { reasoning_tokens: usage.thoughtsTokenCount };
  return result;
}

function bytesOf(token: string): number[] {
  return [...Buffer.from(token, 'utf8')];
}

/** logprobsResult → OpenAI's `logprobs.content`; null when Gemini sent none. */
export function mapLogprobs(candidate: GeminiCandidate): ChatCompletion.Choice['logprobs'] {
  const result = candidate.logprobsResult;
  if (!result?.chosenCandidates) return null;
  const content: ChatCompletionTokenLogprob[] = result.chosenCandidates.map((chosen, i) => {
    const token = chosen.token ?? '';
    return {
      token,
      logprob: chosen.logProbability ?? 0,
      bytes: bytesOf(token),
      top_logprobs: (result.topCandidates?.[i]?.candidates ?? []).map((top) => ({
        token: top.token ?? '',
        logprob: top.logProbability ?? 0,
        bytes: bytesOf(top.token ?? ''),
      })),
    };
  });
  return { content, refusal: null };
}

/** The text, thoughts and function calls of a candidate's parts; `firstCallIndex` numbers the calls. */
export interface MappedParts {
  text: string;
  reasoning: string;
  toolCalls: ChatCompletionMessageFunctionToolCall[];
}

export function mapParts(parts: GeminiPart[] | undefined, firstCallIndex = 0): MappedParts {
  const mapped: MappedParts = { text: '', reasoning: '', toolCalls: [] };
  for (const part of parts ?? []) {
    if (part.functionCall) {
      const index = firstCallIndex + mapped.toolCalls.length;
      mapped.toolCalls.push({
        id: encodeToolCallId(index, part.functionCall.id, part.thoughtSignature),
        type: 'function',
        function: { name: part.functionCall.name ?? '', arguments: JSON.stringify(part.functionCall.args ?? {}) },
      });
    } else if (typeof part.text === 'string') {
      if (part.thought) mapped.reasoning += part.text;
      else mapped.text += part.text;
    }
  }
  return mapped;
}

/** `createTime` (RFC 3339) in Unix seconds, else now. */
export function createdOf(response: GeminiGenerateContentResponse): number {
  const ms = response.createTime ? Date.parse(response.createTime) : NaN;
  return Math.floor((Number.isNaN(ms) ? Date.now() : ms) / 1000);
}

export function completionIdOf(response: GeminiGenerateContentResponse): string {
  return `chatcmpl-${response.responseId || randomUUID()}`;
}

export function modelOf(response: GeminiGenerateContentResponse, settings: AdapterSettings): string {
  return response.modelVersion ? geminiModelName(response.modelVersion) : settings.model;
}

function choiceOf(candidate: GeminiCandidate, position: number): ChatCompletion.Choice {
  const parts = mapParts(candidate.content?.parts);
  const called = parts.toolCalls.length > 0;
  const message: ChatCompletion.Choice['message'] & { reasoning_content?: string } = {
    role: 'assistant',
    content: parts.text === '' && called ? null : parts.text,
    refusal: null,
  };
  if (called) message.tool_calls = parts.toolCalls;
  if (parts.reasoning !== '') message.reasoning_content = parts.reasoning;
  return { index: candidate.index ?? position, message, finish_reason: mapFinishReason(candidate.finishReason, called), logprobs: mapLogprobs(candidate) };
}

/** A blocked prompt has no candidates: one empty choice that says why it stopped. */
const BLOCKED_CHOICE: ChatCompletion.Choice = {
  index: 0,
  message: { role: 'assistant', content: '', refusal: null },
  finish_reason: 'content_filter',
  logprobs: null,
};

/** `GenerateContentResponse` → OpenAI ChatCompletion. */
export function geminiChatResponse(body: unknown, settings: AdapterSettings): ChatCompletion {
  const response = (typeof body === 'object' && body !== null ? body : {}) as GeminiGenerateContentResponse;
  const candidates = response.candidates ?? [];
  const choices = candidates.length === 0 && response.promptFeedback?.blockReason ? [{ ...BLOCKED_CHOICE, message: { ...BLOCKED_CHOICE.message } }] : candidates.map(choiceOf);
  const completion: ChatCompletion = {
    id: completionIdOf(response),
    object: 'chat.completion',
    created: createdOf(response),
    model: modelOf(response, settings),
    choices,
  };
  if (response.usageMetadata) completion.usage = mapUsage(response.usageMetadata);
  return completion;
}
