import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { SseEvent } from '../../sse-decoder';
import type { AdapterSettings, StreamTranslator } from '../adapter-types';
import { mapGeminiError } from './gemini-errors';
import { completionIdOf, createdOf, mapFinishReason, mapLogprobs, mapParts, mapUsage, modelOf } from './gemini-chat-response';
import type { GeminiCandidate, GeminiGenerateContentResponse } from './gemini-wire';

type ChunkChoice = ChatCompletionChunk.Choice;
type Delta = ChunkChoice['delta'] & { reasoning_content?: string };

interface CandidateState {
  started: boolean;
  /** tool calls so far: the next one's index */
  calls: number;
  finished: boolean;
}

/**
 * `streamGenerateContent?alt=sse` events (each a partial GenerateContentResponse) → OpenAI chunks, as
 * they arrive: a role chunk per choice first, then text, thoughts (`reasoning_content`) and function
 * calls (whole: id, name and all arguments in one chunk), the finish reason, and at the end one usage
 * chunk. An `error` event throws a GeminiApiError for the transport to report.
 */
class GeminiStreamTranslator implements StreamTranslator {
  private head: Pick<ChatCompletionChunk, 'id' | 'created' | 'model'> | undefined;
  private readonly candidates = new Map<number, CandidateState>();
  private usage: CompletionUsage | undefined;

  constructor(private readonly settings: AdapterSettings) {}

  push(event: SseEvent): ChatCompletionChunk[] {
    let response: GeminiGenerateContentResponse & { error?: unknown };
    try {
      response = JSON.parse(event.data);
    } catch {
      throw new Error(`Gemini sent a stream event that is not JSON: ${event.data.slice(0, 200)}`);
    }
    if (typeof response !== 'object' || response === null) throw new Error('Gemini sent a stream event that is not an object');
    if (response.error !== undefined) {
      const code = (response.error as { code?: unknown } | null)?.code;
      throw mapGeminiError(typeof code === 'number' ? code : 500, response);
    }
    this.head ??= { id: completionIdOf(response), created: createdOf(response), model: modelOf(response, this.settings) };
    if (response.usageMetadata) this.usage = mapUsage(response.usageMetadata);

    const chunks: ChatCompletionChunk[] = [];
    const candidates = response.candidates ?? [];
    if (candidates.length === 0 && response.promptFeedback?.blockReason) {
      chunks.push(...this.start(0), this.chunk({ index: 0, delta: {}, finish_reason: 'content_filter', logprobs: null }));
      this.state(0).finished = true;
    }
    candidates.forEach((candidate, position) => chunks.push(...this.candidate(candidate, candidate.index ?? position)));
    return chunks;
  }

  end(): ChatCompletionChunk[] {
    if (!this.usage || !this.head) return [];
    return [{ ...this.chunk(), choices: [], usage: this.usage }];
  }

  private candidate(candidate: GeminiCandidate, index: number): ChatCompletionChunk[] {
    const state = this.state(index);
    if (state.finished) return [];
    const chunks = this.start(index);
    const parts = mapParts(candidate.content?.parts, state.calls);
    const logprobs = mapLogprobs(candidate);
    if (parts.reasoning !== '') chunks.push(this.chunk({ index, delta: { reasoning_content: parts.reasoning } as Delta, finish_reason: null, logprobs: null }));
    if (parts.text !== '') chunks.push(this.chunk({ index, delta: { content: parts.text }, finish_reason: null, logprobs }));
    if (parts.toolCalls.length > 0) {
      const toolCalls = parts.toolCalls.map((call, k) => ({ index: state.calls + k, ...call }));
      state.calls += toolCalls.length;
      chunks.push(this.chunk({ index, delta: { tool_calls: toolCalls }, finish_reason: null, logprobs: null }));
    }
    if (candidate.finishReason) {
      state.finished = true;
      chunks.push(this.chunk({ index, delta: {}, finish_reason: mapFinishReason(candidate.finishReason, state.calls > 0), logprobs: null }));
    }
    return chunks;
  }

  /** The role chunk, once per choice. */
  private start(index: number): ChatCompletionChunk[] {
    const state = this.state(index);
    if (state.started) return [];
    state.started = true;
    return [this.chunk({ index, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null })];
  }

  private state(index: number): CandidateState {
    let state = this.candidates.get(index);
    if (!state) {
      state = { started: false, calls: 0, finished: false };
      this.candidates.set(index, state);
    }
    return state;
  }

  private chunk(choice?: ChunkChoice): ChatCompletionChunk {
    const head = this.head ?? { id: 'chatcmpl-gemini', created: 0, model: this.settings.model };
    return { ...head, object: 'chat.completion.chunk', choices: choice ? [choice] : [] };
  }
}

export function geminiChatStream(settings: AdapterSettings): StreamTranslator {
  return new GeminiStreamTranslator(settings);
}
