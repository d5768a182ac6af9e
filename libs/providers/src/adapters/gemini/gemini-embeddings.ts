import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { AdapterSettings, MappedRequest } from '../adapter-types';
import { UnsupportedParameterError } from '../unsupported-parameter';
import { GEMINI_API, geminiHeaders, geminiMethodPath, geminiModelName } from './gemini-api';
import { GeminiInvalidRequestError } from './gemini-errors';

/** `models.batchEmbedContents` body: one request per input. */
export interface GeminiBatchEmbedRequest {
  requests: { model: string; content: { parts: { text: string }[] }; outputDimensionality?: number }[];
}

export type OpenAIEmbeddingsRequest = EmbeddingCreateParams & Record<string, unknown>;

const KNOWN = new Set(['model', 'input', 'dimensions', 'encoding_format', 'user', 'drop_params']);

function texts(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0 && input.every((item) => typeof item === 'string')) return input as string[];
  return [];
}

/** OpenAI embeddings → `batchEmbedContents`; token-array inputs are refused (Gemini embeds text). */
function embeddingsRequest(request: OpenAIEmbeddingsRequest, settings: AdapterSettings): MappedRequest {
  const dropped: string[] = [];
  const refuse = (param: string, detail?: string) => {
    if (!settings.dropParams) throw new UnsupportedParameterError(param, GEMINI_API.label, detail);
    dropped.push(param);
  };
  for (const key of Object.keys(request)) if (!KNOWN.has(key) && request[key] !== undefined && request[key] !== null) refuse(key, 'not a parameter Gemini embeddings take');
  const inputs = texts(request.input);
  if (inputs.length === 0) {
    if (Array.isArray(request.input) && request.input.some((item) => typeof item !== 'string')) {
      throw new UnsupportedParameterError('input', GEMINI_API.label, 'token arrays: Gemini embeds text');
    }
    throw new GeminiInvalidRequestError('input', '`input` must be a string or a non-empty array of strings');
  }
  const model = `models/${geminiModelName(settings.model)}`;
  const dimensions = typeof request.dimensions === 'number' ? request.dimensions : undefined;
  const body: GeminiBatchEmbedRequest = {
    requests: inputs.map((text) => ({ model, content: { parts: [{ text }] }, ...(dimensions === undefined ? {} : { outputDimensionality: dimensions }) })),
  };
  return { call: { method: 'POST', path: geminiMethodPath(settings.model, 'batchEmbedContents'), headers: geminiHeaders(settings), body }, dropped };
}

/** Little-endian float32, base64: how OpenAI encodes `encoding_format: "base64"`. */
function toBase64(values: number[]): string {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => buffer.writeFloatLE(value, i * 4));
  return buffer.toString('base64');
}

/**
 * `{"embeddings":[{"values"}]}` → OpenAI's list. Gemini reports no token counts for embeddings unless
 * it sends `usageMetadata`, so usage is 0 otherwise.
 */
function embeddingsResponse(body: unknown, settings: AdapterSettings, encodingFormat: 'float' | 'base64' = 'float'): CreateEmbeddingResponse {
  const embeddings = (body as { embeddings?: { values?: number[] }[] } | null)?.embeddings ?? [];
  const promptTokens = (body as { usageMetadata?: { promptTokenCount?: number } } | null)?.usageMetadata?.promptTokenCount ?? 0;
  return {
    object: 'list',
    data: embeddings.map((embedding, index) => {
      const values = embedding.values ?? [];
      // the SDK types `embedding` as number[]; base64 is what OpenAI sends on the wire for that format
      return { object: 'embedding' as const, index, embedding: (encodingFormat === 'base64' ? toBase64(values) : values) as number[] };
    }),
    model: geminiModelName(settings.model),
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

/** OpenAI Embeddings ↔ Gemini `models.batchEmbedContents`. */
export const geminiEmbeddings = { request: embeddingsRequest, response: embeddingsResponse };
