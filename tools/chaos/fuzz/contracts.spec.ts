import 'reflect-metadata';
import { ArgumentMetadata, Body, Controller, Module, Post, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import fc from 'fast-check';
import {
  ChatCompletionRequest,
  ConnectDeviceRequest,
  CreateApiKeyRequest,
  CreateInstanceRequest,
  CreateWebhookRequest,
  ExecuteRequest,
  LoginRequest,
  RefreshRequest,
  RegisterRequest,
  RelayRequest,
  ScalingPolicy,
  UpdateInstanceRequest,
  UpdateRoutingPolicyRequest,
  UpdateUserRequest,
  UpdateWebhookRequest,
  EmbeddingsRequest,
} from '@ish/contracts';
import { createValidationPipe, describeValidatedModels, isConfigPart } from '@ish/platform';
import { OpenApiDocument } from './openapi';
import { validValue } from './values';

/** every request body of the services, as their controllers take them */
const BODIES: Type<unknown>[] = [
  RegisterRequest,
  LoginRequest,
  RefreshRequest,
  CreateApiKeyRequest,
  UpdateUserRequest,
  RelayRequest,
  ChatCompletionRequest,
  CreateInstanceRequest,
  UpdateInstanceRequest,
  UpdateRoutingPolicyRequest,
  ScalingPolicy,
  ExecuteRequest,
  ConnectDeviceRequest,
  CreateWebhookRequest,
  UpdateWebhookRequest,
  EmbeddingsRequest,
];

/**
 * The fuzzer's "valid" values come from the OpenAPI document, which the services derive from their
 * DTOs' validators: generated from the real document, they must pass the real validation pipe, or
 * the fuzz would only ever test the 400 path.
 */
describe('valid values from the services’ OpenAPI schemas', () => {
  let document: OpenApiDocument;

  beforeAll(async () => {
    const controllers = BODIES.map((dto) => {
      @Controller(`probe/${dto.name}`)
      class Probe {
        @Post() take(@Body() _body: unknown) {}
      }
      Reflect.defineMetadata('design:paramtypes', [dto], Probe.prototype, 'take');
      return Probe;
    });
    @Module({ controllers })
    class ProbeModule {}
    describeValidatedModels(isConfigPart);
    const app = await NestFactory.create(ProbeModule, { logger: false, preview: true });
    document = SwaggerModule.createDocument(app, new DocumentBuilder().build()) as unknown as OpenApiDocument;
    await app.close();
  });

  const dictionary = { ids: ['0b7e2a52-5f1e-4c55-9a4c-3c1d2e6f7a80'], words: ['fuzz-model', 'auto', 'emulator-5554'], urls: ['http://127.0.0.1:9/'] };

  it.each(BODIES.map((dto) => [dto.name, dto]))('%s: generated valid bodies pass the validation pipe', async (name, dto) => {
    expect(document.components?.schemas?.[name as string]).toBeDefined();
    const pipe = createValidationPipe();
    const metadata: ArgumentMetadata = { type: 'body', metatype: dto as Type<unknown> };
    await fc.assert(
      fc.asyncProperty(validValue({ $ref: `#/components/schemas/${name}` }, { document, dictionary }), async (value) => {
        const refused = await pipe.transform(JSON.parse(JSON.stringify(value)), metadata).then(
          () => undefined,
          (error: { toBody?: () => { error: { details?: { message: string }[] } } }) => error.toBody?.() ?? error,
        );
        // a rule between two fields (scaleDown < scaleUp) or two entries (an alias listing an alias) is in the schema as prose only: no generator can know it
        const details = (refused as { error?: { details?: { message: string }[] } } | undefined)?.error?.details ?? [];
        if (refused && details.length > 0 && details.every((d) => / must be less than \w+$| must list models, not aliases /.test(d.message))) return;
        if (refused) throw new Error(`${JSON.stringify(value)} refused: ${JSON.stringify(refused)}`);
      }),
      { seed: 17, numRuns: 200 },
    );
  });
});
