import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { SseEvent } from '../sse-decoder';

/**
 * Inside ISH Chat every chat request is an OpenAI Chat Completions request (the lingua franca); an
 * adapter maps it to one provider's native API and the answer back. Adapters are pure: the transport
 * (connection pool, timeouts, SSE decoding, abort) sits under all of them, once.
 */
export type OpenAIChatRequest = ChatCompletionCreateParams & Record<string, unknown>;

/** What the transport sends: a path under the instance's base URL, its query, headers and JSON body. */
export interface UpstreamCall {
  method: 'GET' | 'POST';
  /** relative to the instance's base URL, starting with `/` */
  path: string;
  query?: Record<string, string>;
  headers: Record<string, string>;
  body?: unknown;
  /** Accept: SSE for streams */
  stream?: boolean;
}

/** Instance settings an adapter may read (API.md "Instances"). */
export interface AdapterSettings {
  /** the model the instance is asked for (after aliases and fallbacks) */
  model: string;
  apiKey?: string;
  /** Anthropic: the `anthropic-version` this instance speaks */
  anthropicVersion?: string;
  /** Anthropic: `max_tokens` when the request names none (Anthropic requires it) */
  defaultMaxTokens?: number;
  /** passed through to Anthropic (`anthropic-beta`) */
  anthropicBeta?: string;
  /** Azure OpenAI: `api-version` query and model → deployment names */
  apiVersion?: string;
  deployments?: Record<string, string>;
  /** the request's `drop_params`: unsupported parameters are dropped (and reported) instead of refused */
  dropParams?: boolean;
}

/** A mapped request, with the parameters dropped on the way (for `x-ish-dropped-params`). */
export interface MappedRequest {
  call: UpstreamCall;
  dropped: string[];
}

/** Turns a provider's stream events into OpenAI chunks as they arrive. */
export interface StreamTranslator {
  /** chunks for one upstream SSE event (often none, sometimes several) */
  push(event: SseEvent): ChatCompletionChunk[];
  /** chunks owed once the upstream stream ended (e.g. a final usage chunk) */
  end(): ChatCompletionChunk[];
}

/** One provider's chat protocol as pure functions. */
export interface ChatAdapter {
  chatRequest(request: OpenAIChatRequest, settings: AdapterSettings): MappedRequest;
  chatResponse(body: unknown, settings: AdapterSettings): ChatCompletion;
  chatStream(settings: AdapterSettings): StreamTranslator;
}
