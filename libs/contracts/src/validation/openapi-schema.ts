/** Where `DescribedAs` keeps a property's OpenAPI schema (read by @ish/platform when it builds the document). */
export const OPENAPI_SCHEMA_KEY = 'ish:openapi-schema';

/**
 * The OpenAPI schema of a property whose validators cannot say what it holds — a union the
 * controller checks itself, such as a chat message's `content` (a string or text parts). The
 * document shows this instead of "any JSON value".
 */
export function DescribedAs(schema: Record<string, unknown>): PropertyDecorator {
  return (target: object, property: string | symbol) => Reflect.defineMetadata(OPENAPI_SCHEMA_KEY, schema, target, property);
}
