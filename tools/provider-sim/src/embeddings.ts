import { createHash } from 'node:crypto';
import { invalidRequest, modelNotFound, SimError } from './openai-error';

/** OpenAI's limit on the inputs of one request. */
export const MAX_EMBEDDING_INPUTS = 2048;

export interface EmbeddingsRequest {
  model: string;
  /** one entry per embedding: a text or a token array */
  inputs: (string | number[])[];
  dimensions: number;
  encoding: 'float' | 'base64';
}

export type EmbeddingsRequestResult = { ok: true; request: EmbeddingsRequest } | { ok: false; error: SimError };

/** The vector length of a model: OpenAI's for text-embedding-3-small/-large, 1536 for any other. */
export function nativeDimensions(model: string): number {
  return model.startsWith('text-embedding-3-large') ? 3072 : 1536;
}

const isTokenId = (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tokenArrayProblem(tokens: readonly unknown[], at: string): SimError | undefined {
  if (tokens.length === 0) return invalidRequest(`'${at}' must not be an empty token array`, 'input');
  const bad = tokens.findIndex((token) => !isTokenId(token));
  return bad === -1 ? undefined : invalidRequest(`'${at}[${bad}]' must be a token id (an integer >= 0)`, 'input');
}

/** OpenAI's four forms of `input`, as a list of inputs. */
function parseInputs(value: unknown): (string | number[])[] | SimError {
  if (typeof value === 'string') return value === '' ? invalidRequest("'input' must not be an empty string", 'input') : [value];
  if (!Array.isArray(value) || value.length === 0) return invalidRequest("'input' must be a non-empty string or a non-empty array", 'input');
  if (value.length > MAX_EMBEDDING_INPUTS) return invalidRequest(`'input' must hold at most ${MAX_EMBEDDING_INPUTS} inputs`, 'input');
  if (typeof value[0] === 'number') return tokenArrayProblem(value, 'input') ?? [value as number[]];
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item === 'string') {
      if (item === '') return invalidRequest(`'input[${i}]' must not be an empty string`, 'input');
    } else if (Array.isArray(item)) {
      const problem = tokenArrayProblem(item, `input[${i}]`);
      if (problem) return problem;
    } else {
      return invalidRequest(`'input[${i}]' must be a string or a token array`, 'input');
    }
  }
  return value as (string | number[])[];
}

export function parseEmbeddingsRequest(body: unknown, models: ReadonlySet<string>): EmbeddingsRequestResult {
  if (!isObject(body)) return { ok: false, error: invalidRequest('Request body must be a JSON object') };
  if (typeof body.model !== 'string' || body.model === '') return { ok: false, error: invalidRequest("'model' is required and must be a string", 'model') };
  const inputs = parseInputs(body.input);
  if (!Array.isArray(inputs)) return { ok: false, error: inputs };
  const { encoding_format: encoding, dimensions } = body;
  if (encoding !== undefined && encoding !== null && encoding !== 'float' && encoding !== 'base64') {
    return { ok: false, error: invalidRequest("'encoding_format' must be 'float' or 'base64'", 'encoding_format') };
  }
  const native = nativeDimensions(body.model);
  if (dimensions !== undefined && dimensions !== null && !(Number.isInteger(dimensions) && (dimensions as number) >= 1 && (dimensions as number) <= native)) {
    return { ok: false, error: invalidRequest(`'dimensions' must be an integer from 1 to ${native} for ${body.model}`, 'dimensions') };
  }
  if (!models.has(body.model)) return { ok: false, error: modelNotFound(body.model) };
  return { ok: true, request: { model: body.model, inputs, dimensions: (dimensions as number | null | undefined) ?? native, encoding: encoding === 'base64' ? 'base64' : 'float' } };
}

/**
 * A unit vector derived from a hash of the model and the input: the same input always gets the
 * same vector, and `dimensions` cuts the same sequence short (then normalises), as OpenAI's
 * shortened text-embedding-3 vectors are a prefix of the full one.
 */
export function embeddingVector(model: string, input: string | number[], dimensions: number): number[] {
  const seed = createHash('sha256').update(`${model}\u0000${typeof input === 'string' ? input : JSON.stringify(input)}`).digest();
  // xorshift128: fast, and seeded from the hash it is deterministic per input
  let [a, b, c, d] = [seed.readUInt32LE(0), seed.readUInt32LE(4), seed.readUInt32LE(8), seed.readUInt32LE(12) || 1];
  const vector = new Array<number>(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    const t = a ^ (a << 11);
    [a, b, c] = [b, c, d];
    d = (d ^ (d >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    const value = d / 0x1_0000_0000 - 0.5;
    vector[i] = value;
    norm += value * value;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < dimensions; i++) vector[i] = Math.fround(vector[i] * scale);
  return vector;
}

/** OpenAI's base64 encoding of a vector: little-endian float32. */
export function float32Base64(vector: readonly number[]): string {
  const bytes = Buffer.allocUnsafe(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i], i * 4);
  return bytes.toString('base64');
}

/** Usage counts words of a text (as chat does) and tokens of a token array. */
export function inputTokens(input: string | number[]): number {
  return typeof input === 'string' ? input.split(/\s+/).filter(Boolean).length : input.length;
}

export function embeddingsBody(request: EmbeddingsRequest) {
  const tokens = request.inputs.reduce((sum, input) => sum + inputTokens(input), 0);
  return {
    object: 'list',
    data: request.inputs.map((input, index) => {
      const vector = embeddingVector(request.model, input, request.dimensions);
      return { object: 'embedding', index, embedding: request.encoding === 'base64' ? float32Base64(vector) : vector };
    }),
    model: request.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
