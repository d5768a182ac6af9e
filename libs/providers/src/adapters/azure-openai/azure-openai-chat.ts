import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { SseEvent } from '../../sse-decoder';
import type { AdapterSettings, MappedRequest, OpenAIChatRequest, StreamTranslator } from '../adapter-types';
import { UnsupportedParameterError } from '../unsupported-parameter';
import { AZURE_OPENAI_API, azureDeployment, azureHeaders, azureOperation, usesV1Api } from './azure-openai-api';

const UNSUPPORTED = ['web_search_options'] as const;

/** The OpenAI body for the instance's API form: the deployment as `model` (v1) or in the URL (dated versions). */
function azureBody(request: Record<string, unknown>, settings: AdapterSettings, dropped: string[]): Record<string, unknown> {
  const body: Record<string, unknown> = { ...request };
  delete body.drop_params;
  for (const param of UNSUPPORTED) {
    if (body[param] === undefined || body[param] === null) continue;
    if (!settings.dropParams) throw new UnsupportedParameterError(param, AZURE_OPENAI_API.label);
    dropped.push(param);
    delete body[param];
  }
  if (usesV1Api(settings)) body.model = azureDeployment(settings);
  else delete body.model;
  return body;
}

/** OpenAI Chat Completions → Azure OpenAI chat completions (same protocol, Azure's addressing and `api-key`). */
export function azureOpenAIChatRequest(request: OpenAIChatRequest, settings: AdapterSettings): MappedRequest {
  const dropped: string[] = [];
  const body = azureBody(request, settings, dropped);
  const stream = request.stream === true;
  return { call: { method: 'POST', ...azureOperation(settings, 'chat/completions'), headers: azureHeaders(settings), body, ...(stream ? { stream: true } : {}) }, dropped };
}

/** Azure answers in OpenAI's shape (plus content filter results, kept); `model` is the model the deployment runs. */
export function azureOpenAIChatResponse(body: unknown): ChatCompletion {
  return body as ChatCompletion;
}

/**
 * OpenAI's chunks as they are, except Azure's chunks without choices or usage (its first one carries
 * only `prompt_filter_results`, with an empty id and model, which clients reading `choices[0]` trip on).
 */
class AzureStreamTranslator implements StreamTranslator {
  push(event: SseEvent): ChatCompletionChunk[] {
    if (event.data === '[DONE]') return [];
    let chunk: ChatCompletionChunk & { error?: { message?: string } };
    try {
      chunk = JSON.parse(event.data);
    } catch {
      throw new Error(`Azure OpenAI sent a stream event that is not JSON: ${event.data.slice(0, 200)}`);
    }
    if (chunk.error) throw new Error(`Azure OpenAI stream failed: ${chunk.error.message ?? 'unknown error'}`);
    if ((!Array.isArray(chunk.choices) || chunk.choices.length === 0) && !chunk.usage) return [];
    return [chunk];
  }

  end(): ChatCompletionChunk[] {
    return [];
  }
}

export function azureOpenAIChatStream(): StreamTranslator {
  return new AzureStreamTranslator();
}

/** OpenAI embeddings → Azure's embeddings operation (same body). */
export function azureOpenAIEmbeddingsRequest(request: Record<string, unknown>, settings: AdapterSettings): MappedRequest {
  const dropped: string[] = [];
  const body = azureBody(request, settings, dropped);
  return { call: { method: 'POST', ...azureOperation(settings, 'embeddings'), headers: azureHeaders(settings), body }, dropped };
}
