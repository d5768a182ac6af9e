import { ApiProperty, ApiPropertyOptions, DECORATORS } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { OPENAPI_SCHEMA_KEY } from '@ish/contracts';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Schema = Record<string, unknown>;
type Constructor = new (...args: never[]) => unknown;

/** validators that make a value a string, and what they add to its schema */
const STRING_VALIDATORS: Record<string, (constraints: unknown[]) => Schema> = {
  isString: () => ({}),
  isEmail: () => ({ format: 'email' }),
  isUuid: () => ({ format: 'uuid' }),
  isUrl: () => ({ format: 'uri' }),
  isDateString: () => ({ format: 'date-time' }),
  isOutboundUrl: () => ({ format: 'uri' }),
  isWebhookUrl: () => ({ format: 'uri' }),
  matches: ([pattern]) => (pattern instanceof RegExp ? { pattern: pattern.source } : typeof pattern === 'string' ? { pattern } : {}),
  isLength: ([min, max]) => ({ ...(typeof min === 'number' ? { minLength: min } : {}), ...(typeof max === 'number' ? { maxLength: max } : {}) }),
  minLength: ([min]) => ({ minLength: min }),
  maxLength: ([max]) => ({ maxLength: max }),
};

/** validators of numbers */
const NUMBER_VALIDATORS: Record<string, (constraints: unknown[]) => Schema> = {
  isNumber: () => ({ type: 'number' }),
  isInt: () => ({ type: 'integer' }),
  min: ([min]) => ({ minimum: min }),
  max: ([max]) => ({ maximum: max }),
  isPositive: () => ({ minimum: 0, exclusiveMinimum: true }),
};

const ARRAY_VALIDATORS: Record<string, (constraints: unknown[]) => Schema> = {
  isArray: () => ({}),
  arrayNotEmpty: () => ({ minItems: 1 }),
  arrayMinSize: ([min]) => ({ minItems: min }),
  arrayMaxSize: ([max]) => ({ maxItems: max }),
  arrayUnique: () => ({ uniqueItems: true }),
};

/**
 * The JSON schema of one value from its class-validator constraints (`each` ones describe the
 * items of an array): type, format, bounds, enum.
 */
export function schemaOfConstraints(metadatas: Pick<ValidationMetadata, 'name' | 'constraints'>[], designType?: unknown): Schema {
  let schema: Schema = {};
  let type: string | undefined;
  for (const { name = '', constraints = [] } of metadatas) {
    if (name in STRING_VALIDATORS) {
      type ??= 'string';
      schema = { ...schema, ...STRING_VALIDATORS[name](constraints) };
    } else if (name in NUMBER_VALIDATORS) {
      const { type: numberType, ...rest } = NUMBER_VALIDATORS[name](constraints);
      if (numberType === 'integer' || (numberType && type !== 'integer')) type = numberType as string;
      type ??= 'number';
      schema = { ...schema, ...rest };
    } else if (name in ARRAY_VALIDATORS) {
      type = 'array';
      schema = { ...schema, ...ARRAY_VALIDATORS[name](constraints) };
    } else if (name === 'isIn' && Array.isArray(constraints[0])) {
      schema.enum = constraints[0];
      type ??= typeof constraints[0][0] === 'number' ? 'number' : 'string';
    } else if (name === 'isBoolean') {
      type = 'boolean';
    } else if (name === 'isDate') {
      type = 'string';
      schema.format = 'date-time';
    } else if (name === 'isObject') {
      type = 'object';
      schema.additionalProperties = true;
    } else if (name === 'isModelFallbacks' || name === 'isModelAliases') {
      // model id (or alias) → the models to try, in order
      type = 'object';
      schema.maxProperties = 500;
      schema.additionalProperties = { type: 'array', minItems: 1, maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' } };
      if (name === 'isModelAliases') schema.description = 'alias → models that answer it, in order; an alias may not list an alias';
    } else if (name === 'isLessThanProperty' && typeof constraints[0] === 'string') {
      schema.description = `less than ${constraints[0]}`;
    } else if (name === 'minDate' || name === 'maxDate') {
      const bound = constraints[0] instanceof Date ? constraints[0].toISOString() : undefined;
      const text = name === 'minDate' ? (bound ? `not before ${bound}` : 'in the future') : bound ? `not after ${bound}` : 'in the past';
      schema.description = schema.description ? `${schema.description}, ${text}` : text;
    }
  }
  type ??= typeOfDesign(designType);
  return type ? { type, ...schema } : schema;
}

function typeOfDesign(designType: unknown): string | undefined {
  if (designType === String) return 'string';
  if (designType === Number) return 'number';
  if (designType === Boolean) return 'boolean';
  if (designType === Array) return 'array';
  return undefined;
}

/** The class a `@ValidateNested() @Type(() => X)` property holds, found through class-transformer itself. */
function nestedClassOf(target: Constructor, property: string): Constructor | undefined {
  const probe = plainToInstance(target, { [property]: [{}] }) as Record<string, unknown>;
  const value = probe[property];
  const item = Array.isArray(value) ? value[0] : value;
  const probeSingle = plainToInstance(target, { [property]: {} }) as Record<string, unknown>;
  const single = probeSingle[property];
  const candidate = item && typeof item === 'object' ? item : single;
  const ctor = candidate && typeof candidate === 'object' ? (candidate.constructor as Constructor) : undefined;
  return ctor && ctor !== Object && ctor !== Array ? ctor : undefined;
}

/** The swagger property options of one validated property. */
export function propertyOptions(target: Constructor, property: string, metadatas: ValidationMetadata[]): Schema {
  const required = !metadatas.some((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION);
  const described = Reflect.getMetadata(OPENAPI_SCHEMA_KEY, target.prototype as object, property) as Schema | undefined;
  if (described) return { required, ...described };
  const designType = Reflect.getMetadata('design:type', target.prototype as object, property) as unknown;
  const custom = metadatas.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION);
  const own = schemaOfConstraints(custom.filter((m) => !m.each), designType);
  const items = schemaOfConstraints(custom.filter((m) => m.each));
  if (metadatas.some((m) => m.type === ValidationTypes.NESTED_VALIDATION)) {
    const nested = nestedClassOf(target, property);
    if (nested) {
      const isArray = own.type === 'array' || designType === Array;
      const { type: _type, ...bounds } = own;
      return { required, type: () => nested, ...(isArray ? { isArray: true } : {}), ...bounds };
    }
  }
  if (own.type === 'array' || (own.type === undefined && Object.keys(items).length > 0)) {
    return { required, ...own, type: 'array', items: Object.keys(items).length > 0 ? items : {} };
  }
  if (own.type === undefined) {
    // `@Allow()` alone: any JSON value (OpenAPI 3.0 has no "any" type; an empty schema means it)
    return { required, ...own, type: 'object', oneOf: ANY_JSON, description: 'any JSON value' };
  }
  if (own.type === 'object' && designType !== Object) return { required, ...own, type: 'object' };
  return { required, ...own };
}

const ANY_JSON = [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'object' }, { type: 'array', items: {} }];

/**
 * Describes the DTOs in OpenAPI from their class-validator constraints, so that the document lists
 * every field of every request body and query (the build does not run the Nest swagger plugin).
 * A property that already carries `@ApiProperty` keeps it. Call before `SwaggerModule.createDocument`.
 */
export function describeValidatedModels(skip: (target: Constructor) => boolean = () => false): number {
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Constructor | string, ValidationMetadata[]> };
  let described = 0;
  for (const target of storage.validationMetadatas.keys()) {
    if (typeof target !== 'function' || skip(target)) continue;
    const byProperty = new Map<string, ValidationMetadata[]>();
    for (const m of getMetadataStorage().getTargetValidationMetadatas(target, '', true, false)) {
      if (!byProperty.has(m.propertyName)) byProperty.set(m.propertyName, []);
      byProperty.get(m.propertyName)!.push(m);
    }
    for (const [property, list] of byProperty) {
      if (Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, target.prototype as object, property)) continue;
      ApiProperty(propertyOptions(target, property, list) as ApiPropertyOptions)(target.prototype as object, property);
      described++;
    }
  }
  return described;
}
