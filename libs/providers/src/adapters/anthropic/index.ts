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

// named, not `export *`: the /messages route's anthropic-messages exports ANTHROPIC_VERSIONS and AnthropicErrorType too
export {
  ANTHROPIC_DEFAULT_BASE_URL,
  ANTHROPIC_ENDPOINTS,
  ANTHROPIC_PARAMETERS,
  ANTHROPIC_API,
  anthropicCountTokensCall,
  anthropicHeaders,
  anthropicModelsCall,
  anthropicProbe,
  anthropicVersionOf,
  CURRENT_ANTHROPIC_VERSION,
  DEFAULT_ANTHROPIC_MAX_TOKENS,
  parseAnthropicModels,
} from './anthropic-spec';
export type { AnthropicParameter, ParameterSupport } from './anthropic-spec';
export { ANTHROPIC_ERROR_TYPES, AnthropicApiError, anthropicErrorStatus, mapAnthropicError } from './anthropic-errors';
export { mapAnthropicRequest, supportsStructuredOutputs, THINKING_BUDGETS } from './anthropic-request';
export { mapAnthropicResponse, mapStopReason as anthropicFinishReason, mapUsage as anthropicUsage } from './anthropic-response';
export { AnthropicStreamError, AnthropicStreamTranslator, mergeAnthropicUsage } from './anthropic-stream';
