import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';

export type EmbeddingEncoding = 'float' | 'base64';

/** OpenAI's embeddings answer; `embedding` is a base64 string when `encoding_format` was `base64`. */
export interface EmbeddingsResponse extends Omit<CreateEmbeddingResponse, 'data'> {
  data: { object: 'embedding'; index: number; embedding: number[] | string }[];
}

const FLOAT32_BYTES = 4;

/** A vector as OpenAI's base64 encoding: little-endian float32, base64. */
export function float32Base64(vector: readonly number[]): string {
  const bytes = Buffer.allocUnsafe(vector.length * FLOAT32_BYTES);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i], i * FLOAT32_BYTES);
  return bytes.toString('base64');
}

/** The numbers of a base64 (little-endian float32) vector; undefined when the text is not one. */
export function float32FromBase64(text: string): number[] | undefined {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % FLOAT32_BYTES !== 0 || bytes.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) return undefined;
  const vector = new Array<number>(bytes.length / FLOAT32_BYTES);
  for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatLE(i * FLOAT32_BYTES);
  return vector;
}

/** The provider's answer is not an embeddings list: the attempt failed (and fails over). */
export class MalformedEmbeddingsError extends Error {
  override readonly name = 'MalformedEmbeddingsError';
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number' && Number.isFinite(item));
}

/**
 * A provider's embeddings answer in OpenAI's exact shape, each vector in the encoding the client
 * asked for: a provider that answered floats to a `base64` request (it cannot encode) is converted,
 * and so is base64 to a `float` one. `inputs` is how many embeddings were asked for.
 */
export function embeddingsAnswer(body: unknown, encoding: EmbeddingEncoding, inputs: number, requestedModel: string): EmbeddingsResponse {
  const answer = (typeof body === 'object' && body !== null ? body : {}) as { data?: unknown; model?: unknown; usage?: { prompt_tokens?: unknown; total_tokens?: unknown } };
  if (!Array.isArray(answer.data)) throw new MalformedEmbeddingsError('the provider answered embeddings without a data list');
  if (answer.data.length !== inputs) throw new MalformedEmbeddingsError(`the provider answered ${answer.data.length} embeddings for ${inputs} inputs`);
  const data = answer.data.map((item: unknown, position) => {
    const { index, embedding } = (typeof item === 'object' && item !== null ? item : {}) as { index?: unknown; embedding?: unknown };
    const vector = typeof embedding === 'string' ? float32FromBase64(embedding) : isNumberArray(embedding) ? embedding : undefined;
    if (!vector) throw new MalformedEmbeddingsError(`the provider answered embedding ${position} that is neither numbers nor base64 float32`);
    const encoded = encoding === 'base64' ? (typeof embedding === 'string' ? embedding : float32Base64(vector)) : vector;
    return { object: 'embedding' as const, index: typeof index === 'number' && Number.isInteger(index) ? index : position, embedding: encoded };
  });
  const promptTokens = tokenCount(answer.usage?.prompt_tokens);
  return {
    object: 'list',
    data,
    model: typeof answer.model === 'string' && answer.model ? answer.model : requestedModel,
    usage: { prompt_tokens: promptTokens, total_tokens: tokenCount(answer.usage?.total_tokens) || promptTokens },
  };
}

function tokenCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}
