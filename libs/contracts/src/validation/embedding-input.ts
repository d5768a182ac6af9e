import { registerDecorator, ValidationOptions } from 'class-validator';

/** OpenAI's limit on the inputs of one embeddings request (strings or token arrays). */
export const MAX_EMBEDDING_INPUTS = 2048;

/** `input` of an embeddings request: a string, strings, one token array or token arrays (OpenAI's four forms). */
export type EmbeddingInput = string | string[] | number[] | number[][];

const isTokenId = (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function tokenArrayProblem(tokens: readonly unknown[], at: string): string | null {
  if (tokens.length === 0) return `${at} must not be an empty token array`;
  const bad = tokens.findIndex((token) => !isTokenId(token));
  return bad === -1 ? null : `${at}[${bad}] must be a token id (an integer >= 0)`;
}

/**
 * What is wrong with an embeddings `input`, or null when it is one of OpenAI's forms: a non-empty
 * string; 1–2048 non-empty strings; one non-empty token array; 1–2048 non-empty token arrays.
 */
export function embeddingInputProblem(value: unknown): string | null {
  if (typeof value === 'string') return value.length === 0 ? 'input must not be an empty string' : null;
  if (!Array.isArray(value)) return 'input must be a string, an array of strings, an array of token ids or an array of token arrays';
  if (value.length === 0) return 'input must not be an empty array';
  if (value.length > MAX_EMBEDDING_INPUTS) return `input must hold at most ${MAX_EMBEDDING_INPUTS} inputs, got ${value.length}`;
  const first: unknown = value[0];
  if (typeof first === 'string') {
    const bad = value.findIndex((item) => typeof item !== 'string' || item.length === 0);
    if (bad === -1) return null;
    return typeof value[bad] === 'string' ? `input[${bad}] must not be an empty string` : `input[${bad}] must be a string like the other inputs`;
  }
  if (typeof first === 'number') return tokenArrayProblem(value, 'input');
  if (Array.isArray(first)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (!Array.isArray(item)) return `input[${i}] must be a token array like the other inputs`;
      const problem = tokenArrayProblem(item, `input[${i}]`);
      if (problem) return problem;
    }
    return null;
  }
  return 'input[0] must be a string, a token id or a token array';
}

/** The inputs of a valid `input`, one entry per embedding OpenAI answers. */
export function embeddingInputs(input: EmbeddingInput): (string | number[])[] {
  if (typeof input === 'string') return [input];
  if (input.length > 0 && typeof input[0] === 'number') return [input as number[]];
  return input as (string | number[])[];
}

/** class-validator: an embeddings `input` in one of OpenAI's four forms */
export function IsEmbeddingInput(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isEmbeddingInput',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => embeddingInputProblem(value) === null,
        defaultMessage: (args) => embeddingInputProblem(args?.value) ?? 'input is invalid',
      },
    });
}
