import { IsIn, IsInt, IsOptional, IsString, Length, MaxLength, Min } from 'class-validator';
import { EmbeddingInput, IsEmbeddingInput, MAX_EMBEDDING_INPUTS } from './validation/embedding-input';
import { DescribedAs } from './validation/openapi-schema';

export const EMBEDDING_ENCODING_FORMATS = ['float', 'base64'] as const;
export type EmbeddingEncodingFormat = (typeof EMBEDDING_ENCODING_FORMATS)[number];

const TOKEN_ARRAY = { type: 'array', minItems: 1, items: { type: 'integer', minimum: 0 } };

/** `POST /api/v1/embeddings`: the OpenAI Embeddings request (API.md "Relay — chat"). */
export class EmbeddingsRequest {
  @IsString() @Length(1, 200) model: string;
  @IsEmbeddingInput()
  @DescribedAs({
    description: 'text to embed: a string, strings, a token array or token arrays (at most 2048 inputs, none empty)',
    oneOf: [
      { type: 'string', minLength: 1 },
      { type: 'array', minItems: 1, maxItems: MAX_EMBEDDING_INPUTS, items: { type: 'string', minLength: 1 } },
      { ...TOKEN_ARRAY, maxItems: MAX_EMBEDDING_INPUTS },
      { type: 'array', minItems: 1, maxItems: MAX_EMBEDDING_INPUTS, items: TOKEN_ARRAY },
    ],
  })
  input: EmbeddingInput;
  /** `float` (numbers) or `base64` (little-endian float32); OpenAI's default is `float` */
  @IsOptional() @IsIn(EMBEDDING_ENCODING_FORMATS) encoding_format?: EmbeddingEncodingFormat;
  @IsOptional() @IsInt() @Min(1) dimensions?: number;
  @IsOptional() @IsString() @MaxLength(256) user?: string;
}
