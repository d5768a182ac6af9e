import type { ChatAdapter } from '../adapter-types';
import { geminiChatRequest } from './gemini-chat-request';
import { geminiChatResponse } from './gemini-chat-response';
import { geminiChatStream } from './gemini-chat-stream';

/** Google's native Gemini API (generateContent / streamGenerateContent) as a ChatAdapter. */
export const geminiAdapter: ChatAdapter = {
  chatRequest: geminiChatRequest,
  chatResponse: geminiChatResponse,
  chatStream: geminiChatStream,
};

export { GEMINI_API, GEMINI_PARAMETERS, geminiHeaders, geminiMethodPath, geminiModelIds, geminiModelName, geminiProbe } from './gemini-api';
export type { GeminiMethod } from './gemini-api';
export { geminiChatRequest } from './gemini-chat-request';
export { geminiChatResponse, mapFinishReason as geminiFinishReason, mapUsage as geminiUsage } from './gemini-chat-response';
export { geminiChatStream } from './gemini-chat-stream';
export { geminiEmbeddings } from './gemini-embeddings';
export type { GeminiBatchEmbedRequest, OpenAIEmbeddingsRequest } from './gemini-embeddings';
export { GeminiApiError, GeminiInvalidRequestError, mapGeminiError } from './gemini-errors';
export type * from './gemini-wire';
