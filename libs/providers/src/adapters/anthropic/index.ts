import type { ChatAdapter } from '../adapter-types';
import { mapAnthropicRequest } from './anthropic-request';
import { mapAnthropicResponse } from './anthropic-response';
import { AnthropicStreamTranslator } from './anthropic-stream';

/** Anthropic's native Messages API as pure functions (the transport sits under it). */
export const anthropicAdapter: ChatAdapter = {
  chatRequest: (request, settings) => mapAnthropicRequest(request, settings),
  chatResponse: (body) => mapAnthropicResponse(body),
  chatStream: () => new AnthropicStreamTranslator(),
};

export * from './anthropic-spec';
export * from './anthropic-errors';
export { mapAnthropicRequest, supportsStructuredOutputs, THINKING_BUDGETS } from './anthropic-request';
export { mapAnthropicResponse, mapStopReason, mapUsage } from './anthropic-response';
export { AnthropicStreamError, AnthropicStreamTranslator } from './anthropic-stream';
