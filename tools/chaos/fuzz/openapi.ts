/**
 * The parts of an OpenAPI 3.0 document the fuzzer reads: operations (path × method), their
 * parameters and JSON request bodies, and schemas with local `$ref`s resolved.
 */

export interface SchemaObject {
  $ref?: string;
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'null';
  format?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: SchemaObject;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  additionalProperties?: boolean | SchemaObject;
  oneOf?: SchemaObject[];
  anyOf?: SchemaObject[];
  allOf?: SchemaObject[];
  nullable?: boolean;
  description?: string;
}

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: SchemaObject;
}

interface RawOperation {
  operationId?: string;
  parameters?: (ParameterObject | { $ref: string })[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: SchemaObject }> } | { $ref: string };
  security?: Record<string, string[]>[];
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, SchemaObject>; parameters?: Record<string, ParameterObject>; requestBodies?: Record<string, unknown> };
  security?: Record<string, string[]>[];
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface Operation {
  /** `POST /api/v1/relay` */
  key: string;
  method: HttpMethod;
  /** the path template, `{name}` for path parameters */
  path: string;
  operationId?: string;
  parameters: ParameterObject[];
  /** the JSON body, when the operation takes one */
  body?: { required: boolean; contentType: string; schema: SchemaObject };
  /** false when the document says the operation needs no credential */
  secured: boolean;
}

/** Every operation of the document, in a stable order (path, then method). */
export function listOperations(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const path of Object.keys(document.paths).sort()) {
    const item = document.paths[path] as Record<string, unknown> & { parameters?: ParameterObject[] };
    for (const method of HTTP_METHODS) {
      const raw = item[method] as RawOperation | undefined;
      if (!raw) continue;
      const parameters = [...(item.parameters ?? []), ...(raw.parameters ?? [])].map((p) => resolveParameter(document, p));
      for (const name of pathParameterNames(path)) {
        if (!parameters.some((p) => p.in === 'path' && p.name === name)) parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
      }
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method,
        path,
        operationId: raw.operationId,
        parameters,
        body: requestBodyOf(document, raw),
        secured: (raw.security ?? document.security ?? []).length > 0,
      });
    }
  }
  return operations;
}

export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}

function resolveParameter(document: OpenApiDocument, parameter: ParameterObject | { $ref: string }): ParameterObject {
  if ('$ref' in parameter) return resolvePointer(document, parameter.$ref) as ParameterObject;
  return parameter;
}

function requestBodyOf(document: OpenApiDocument, raw: RawOperation): Operation['body'] {
  let body = raw.requestBody;
  if (!body) return undefined;
  if ('$ref' in body) body = resolvePointer(document, body.$ref) as Exclude<RawOperation['requestBody'], { $ref: string } | undefined>;
  const content = body?.content ?? {};
  const contentType = Object.keys(content).find((type) => /json/i.test(type)) ?? Object.keys(content)[0];
  if (!contentType) return undefined;
  return { required: body?.required ?? false, contentType, schema: content[contentType].schema ?? {} };
}

/** Follows a local JSON pointer (`#/components/schemas/X`). */
export function resolvePointer(document: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local references are supported: ${ref}`);
  let node: unknown = document;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object' || !(key in node)) throw new Error(`unresolvable reference ${ref}`);
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * The schema with its `$ref` followed (a chain of them too) and `allOf` merged. Nested schemas keep
 * their `$ref`s: they are resolved when they are reached, so recursive schemas stay finite.
 */
export function resolveSchema(document: OpenApiDocument, schema: SchemaObject | undefined, seen: string[] = []): SchemaObject {
  if (!schema) return {};
  if (schema.$ref) {
    if (seen.includes(schema.$ref)) throw new Error(`circular reference ${[...seen, schema.$ref].join(' → ')}`);
    const { $ref, ...siblings } = schema;
    return { ...resolveSchema(document, resolvePointer(document, $ref) as SchemaObject, [...seen, $ref]), ...siblings };
  }
  if (schema.allOf?.length) {
    const { allOf, ...rest } = schema;
    return allOf.reduce<SchemaObject>((merged, part) => mergeSchemas(merged, resolveSchema(document, part, seen)), rest);
  }
  return schema;
}

function mergeSchemas(a: SchemaObject, b: SchemaObject): SchemaObject {
  return {
    ...a,
    ...b,
    properties: a.properties || b.properties ? { ...(a.properties ?? {}), ...(b.properties ?? {}) } : undefined,
    required: a.required || b.required ? [...new Set([...(a.required ?? []), ...(b.required ?? [])])] : undefined,
  };
}

/** The JSON type a schema describes, with `{}` (any) as undefined. */
export function schemaType(schema: SchemaObject): SchemaObject['type'] | undefined {
  if (schema.type) return schema.type;
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  if (schema.enum?.length) {
    const first = schema.enum[0];
    return typeof first === 'number' ? 'number' : typeof first === 'boolean' ? 'boolean' : 'string';
  }
  return undefined;
}
