import type { OpenApiDocument } from './openapi';

/** A small OpenAPI document with what the services' document has: $refs, nesting, enums, formats, bounds, path and query parameters. */
export const FIXTURE: OpenApiDocument = {
  openapi: '3.0.0',
  paths: {
    '/api/v1/things': {
      get: { operationId: 'list', parameters: [{ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } }], security: [{ bearer: [] }] },
      post: {
        operationId: 'create',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateThing' } } } },
        security: [{ bearer: [] }],
      },
    },
    '/api/v1/things/{id}': {
      get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], security: [{ bearer: [] }] },
      patch: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/UpdateThing' } } } },
        security: [{ bearer: [] }],
      },
      delete: { parameters: [], security: [{ bearer: [] }] },
    },
    '/api/v1/things/{id}/parts/{partId}': {
      post: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }, { name: 'idempotency-key', in: 'header', required: false, schema: { type: 'string' } }] },
    },
    '/api/v1/public/login': {
      post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Login' } } } } },
    },
  },
  components: {
    schemas: {
      CreateThing: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 2, maxLength: 5 },
          kind: { type: 'string', enum: ['small', 'large'] },
          count: { type: 'integer', minimum: 0, maximum: 10 },
          ratio: { type: 'number', minimum: 0, maximum: 1 },
          enabled: { type: 'boolean' },
          tags: { type: 'array', maxItems: 3, uniqueItems: true, items: { type: 'string', enum: ['a', 'b', 'c'] } },
          owner: { type: 'string', format: 'uuid' },
          at: { type: 'string', format: 'date-time' },
          callback: { type: 'string', format: 'uri' },
          host: { type: 'string', pattern: '^[a-z0-9.-]+$' },
          parts: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/Part' } },
          meta: { type: 'object', additionalProperties: true },
          anything: { oneOf: [{ type: 'string' }, { type: 'number' }] },
        },
        required: ['name', 'kind', 'parts'],
      },
      Part: { type: 'object', properties: { label: { type: 'string', maxLength: 10 }, weight: { type: 'integer', minimum: 1 } }, required: ['label'] },
      Alias: { $ref: '#/components/schemas/Part' },
      UpdateThing: { type: 'object', properties: { label: { type: 'string', maxLength: 10 }, enabled: { type: 'boolean' } } },
      Login: { allOf: [{ $ref: '#/components/schemas/Email' }, { type: 'object', properties: { password: { type: 'string', minLength: 12 } }, required: ['password'] }] },
      Email: { type: 'object', properties: { email: { type: 'string', format: 'email' } }, required: ['email'] },
      Loop: { $ref: '#/components/schemas/Loop' },
    },
  },
};
