import 'reflect-metadata';
import { Body, Controller, Get, Module, Post, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Allow } from 'class-validator';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AndroidAuditQuery, ChatCompletionRequest, CreateApiKeyRequest, CreateInstanceRequest, RelayRequest, ScalingPolicy, UpdateRoutingPolicyRequest, UsageQuery } from '@ish/contracts';
import { isConfigPart } from '../config/config';
import { PlatformConfig } from '../config/platform.config';
import { describeValidatedModels } from './openapi-models';

class Loose {
  @Allow() anything: unknown;
}

@Controller('api/v1/probe')
class ProbeController {
  @Post('keys') keys(@Body() _body: CreateApiKeyRequest) {}
  @Post('chat') chat(@Body() _body: ChatCompletionRequest) {}
  @Post('instances') instances(@Body() _body: CreateInstanceRequest) {}
  @Post('scaling') scaling(@Body() _body: ScalingPolicy) {}
  @Get('usage') usage(@Query() _query: UsageQuery) {}
  @Get('audit') audit(@Query() _query: AndroidAuditQuery) {}
  @Post('relay') relay(@Body() _body: RelayRequest) {}
  @Post('routing') routing(@Body() _body: UpdateRoutingPolicyRequest) {}
  @Post('loose') loose(@Body() _body: Loose) {}
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

type Doc = {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string; required?: boolean; schema?: Record<string, unknown> }[] }>>;
  components: { schemas: Record<string, { type?: string; properties: Record<string, Record<string, unknown>>; required?: string[] }> };
};

describe('describeValidatedModels', () => {
  let document: Doc;

  beforeAll(async () => {
    describeValidatedModels(isConfigPart);
    const app = await NestFactory.create(ProbeModule, { logger: false, preview: true });
    document = SwaggerModule.createDocument(app, new DocumentBuilder().build()) as unknown as Doc;
    await app.close();
  });

  it('lists every field of a body with its type, bounds and whether it is required', () => {
    const schema = document.components.schemas.CreateApiKeyRequest;
    expect(schema.properties.name).toMatchObject({ type: 'string', minLength: 1, maxLength: 100 });
    expect(schema.properties.scopes).toMatchObject({ type: 'array', maxItems: 7, uniqueItems: true, items: { type: 'string', enum: expect.arrayContaining(['chat', 'admin']) } });
    expect(schema.properties.expiresAt).toMatchObject({ type: 'string', format: 'date-time', description: 'in the future' });
    expect(schema.properties.rateLimitPerMinute).toMatchObject({ type: 'integer', minimum: 0, maximum: 1_000_000 });
    expect(schema.required?.sort()).toEqual(['name', 'scopes']);
  });

  it('refers to nested DTOs and describes them too', () => {
    const chat = document.components.schemas.ChatCompletionRequest;
    expect(chat.properties.temperature).toMatchObject({ type: 'number', minimum: 0, maximum: 2 });
    // `@Allow()` with `@DescribedAs`: the whole shape the relay checks itself (every message kind, content parts, tools)
    expect(chat.properties.messages).toMatchObject({ type: 'array', minItems: 1, items: { oneOf: expect.any(Array) } });
    const userMessage = (chat.properties.messages.items as { oneOf: { properties: { role: { enum: string[] }; content: { oneOf: unknown[] } } }[] }).oneOf.find((m) => m.properties.role.enum.includes('user'));
    expect(JSON.stringify(userMessage?.properties.content)).toContain('image_url');
    expect(chat.properties.tools).toMatchObject({ type: 'array', items: { required: ['type', 'function'] } });
    expect(chat.properties.stop.oneOf).toEqual([{ type: 'string' }, { type: 'array', maxItems: 4, items: { type: 'string' } }]);
    expect(chat.required).toEqual(['model', 'messages']);
    const relay = document.components.schemas.UpdateRoutingPolicyRequest;
    expect(relay.properties.fallbacks).toBeDefined();
    // `@Allow()` alone: any JSON value
    expect(document.components.schemas.Loose.properties.anything.oneOf).toEqual(expect.arrayContaining([{ type: 'string' }, { type: 'object' }]));
  });

  it('gives custom validators a format and exclusive bounds their meaning', () => {
    const instance = document.components.schemas.CreateInstanceRequest;
    expect(instance.properties.baseUrl).toMatchObject({ type: 'string', format: 'uri' });
    expect(instance.properties.models).toMatchObject({ type: 'array', minItems: 1, maxItems: 200, items: { type: 'string', minLength: 1, maxLength: 200 } });
    const scaling = document.components.schemas.ScalingPolicy;
    expect(scaling.properties.scaleUpUtilization).toMatchObject({ type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1 });
    expect(scaling.properties.enabled).toMatchObject({ type: 'boolean' });
    expect(scaling.properties.scaleDownUtilization).toMatchObject({ description: 'less than scaleUpUtilization' });
    expect(document.components.schemas.RelayRequest.properties.conversationId).toMatchObject({ type: 'string', format: 'uuid' });
    for (const map of ['fallbacks', 'aliases']) {
      expect(document.components.schemas.UpdateRoutingPolicyRequest.properties[map]).toMatchObject({
        type: 'object',
        additionalProperties: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, maxLength: 200 } },
      });
    }
  });

  it('turns a query DTO into query parameters', () => {
    const parameters = document.paths['/api/v1/probe/usage'].get.parameters ?? [];
    expect(parameters.map((p) => [p.name, p.in, p.required])).toEqual(expect.arrayContaining([['from', 'query', false], ['to', 'query', false]]));
    expect(parameters.find((p) => p.name === 'from')?.schema).toMatchObject({ type: 'string', format: 'date-time' });
    const to = (parameters.find((p) => p.name === 'to') as { description?: string } | undefined)?.description;
    expect(to).toContain('not before 1970-01-01T00:00:00.000Z');
    expect(to).toContain('not after 9999-12-31T23:59:59.999Z');
    const audit = document.paths['/api/v1/probe/audit'].get.parameters ?? [];
    expect(audit.find((p) => p.name === 'userId')?.schema).toMatchObject({ type: 'string', format: 'uuid' });
    expect(audit.find((p) => p.name === 'limit')?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 1000 });
  });

  it('leaves configuration classes alone and is safe to call twice', () => {
    expect(Reflect.getMetadata('swagger/apiModelPropertiesArray', PlatformConfig.prototype)).toBeUndefined();
    expect(describeValidatedModels()).toBeGreaterThanOrEqual(0);
    expect(document.components.schemas.CreateApiKeyRequest.properties.name).toMatchObject({ maxLength: 100 });
  });
});
