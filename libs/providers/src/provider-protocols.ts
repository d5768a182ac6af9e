import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import type { AdapterSettings, ChatAdapter, MappedRequest, UpstreamCall } from './adapters/adapter-types';
import { anthropicAdapter, anthropicModelsCall, mapAnthropicError, parseAnthropicModels } from './adapters/anthropic';
import { azureOpenAIAdapter, azureOpenAIEmbeddingsRequest, azureOpenAIProbe } from './adapters/azure-openai';
import { geminiAdapter, geminiEmbeddings, geminiModelIds, geminiProbe, mapGeminiError } from './adapters/gemini';
import { openAIHeaders, openAIModelIds, openAIProbe, openAIProtocolAdapter } from './adapters/openai';
import { UnsupportedParameterError } from './adapters/unsupported-parameter';
import { ProviderSpec } from './provider-specs';

/** A provider's HTTP error in our terms: the status failover reads, our code, the provider's message and error object. */
export interface MappedProviderError {
  status: number;
  code?: string;
  message?: string;
  error: unknown;
  /** headers to read besides the answer's own (Gemini's RetryInfo as `retry-after`) */
  headers?: Record<string, string>;
}

/** One wire protocol: its chat adapter, its probe and model list, its error mapping and its embeddings. */
export interface ProtocolAdapter {
  chat: ChatAdapter;
  /** the cheap authenticated call a health probe makes (it lists models) */
  probe(settings: AdapterSettings): UpstreamCall;
  modelIds(body: unknown): string[];
  /** undefined: the OpenAI shape, read as is */
  mapError?(status: number, body: unknown): MappedProviderError;
  embeddingsRequest(request: Record<string, unknown>, settings: AdapterSettings): MappedRequest;
  /** the answer in OpenAI's shape, for embeddingsAnswer to check */
  embeddingsResponse(body: unknown, settings: AdapterSettings): unknown;
}

function openAIEmbeddingsRequest(headers: (settings: AdapterSettings) => Record<string, string>) {
  return (request: Record<string, unknown>, settings: AdapterSettings): MappedRequest => {
    const body: Record<string, unknown> = { ...request, model: settings.model };
    delete body.drop_params;
    return { call: { method: 'POST', path: '/embeddings', headers: headers(settings), body }, dropped: [] };
  };
}

const asIs = (body: unknown) => body;

/** The adapter of a provider type; OpenAI-protocol providers share one, told apart by their preset. */
export function protocolAdapter(spec: ProviderSpec): ProtocolAdapter {
  switch (spec.protocol) {
    case 'anthropic':
      return {
        chat: anthropicAdapter,
        probe: (settings) => anthropicModelsCall(settings),
        modelIds: (body) => parseAnthropicModels(body).ids,
        mapError: (status, body) => {
          const mapped = mapAnthropicError(status, body);
          return { status: mapped.status, code: mapped.code, message: mapped.message, error: mapped.error };
        },
        embeddingsRequest: () => {
          throw new UnsupportedParameterError('model', spec.label, 'Anthropic has no embeddings API');
        },
        embeddingsResponse: asIs,
      };
    case 'gemini':
      return {
        chat: geminiAdapter,
        probe: geminiProbe,
        modelIds: geminiModelIds,
        mapError: (status, body) => {
          const mapped = mapGeminiError(status, body);
          return { status: mapped.status, code: mapped.code, message: mapped.message, error: mapped.error, headers: mapped.headers };
        },
        embeddingsRequest: (request, settings) => geminiEmbeddings.request(request as Parameters<typeof geminiEmbeddings.request>[0], settings),
        embeddingsResponse: (body, settings): CreateEmbeddingResponse => geminiEmbeddings.response(body, settings),
      };
    case 'azure-openai':
      return {
        chat: azureOpenAIAdapter,
        probe: azureOpenAIProbe,
        modelIds: openAIModelIds,
        embeddingsRequest: azureOpenAIEmbeddingsRequest,
        embeddingsResponse: asIs,
      };
    case 'openai':
      return {
        chat: openAIProtocolAdapter(spec),
        probe: (settings) => openAIProbe(spec, settings),
        modelIds: openAIModelIds,
        embeddingsRequest: openAIEmbeddingsRequest((settings) => openAIHeaders(spec, settings)),
        embeddingsResponse: asIs,
      };
  }
}
