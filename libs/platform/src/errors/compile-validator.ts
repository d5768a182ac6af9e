import {
  IS_ARRAY,
  IS_BOOLEAN,
  IS_IN,
  IS_INT,
  IS_LENGTH,
  IS_NUMBER,
  IS_OBJECT,
  IS_OPTIONAL,
  IS_STRING,
  IsNumberOptions,
  MAX,
  MAX_LENGTH,
  MIN,
  MetadataStorage,
  ValidationTypes,
  getMetadataStorage,
  isArray,
  isBoolean,
  isIn,
  isInt,
  isNumber,
  isObject,
  isString,
  length,
  max,
  maxLength,
  min,
} from 'class-validator';

type Check = (value: unknown) => boolean;
type Metadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

/** A predicate that may answer false for a valid object (the caller then asks validateSync), never true for an invalid one. */
export type CompiledValidator = (plain: object) => boolean;

interface CompiledField {
  name: string;
  /** `@IsOptional()`: null and undefined skip the field's checks */
  optional: boolean;
  checks: Check[];
}

/**
 * The built-in decorators compiled, by the name each registers, to the very functions class-validator
 * calls with that decorator's constraints (so NaN, Infinity, -0, String objects, surrogate pairs in
 * lengths … are judged exactly as validateSync judges them).
 */
const CHECKS: Record<string, (constraints: unknown[]) => Check> = {
  [IS_STRING]: () => isString,
  [IS_NUMBER]: ([options]) => (value) => isNumber(value, options as IsNumberOptions | undefined),
  [IS_INT]: () => isInt,
  [IS_BOOLEAN]: () => isBoolean,
  [IS_OBJECT]: () => isObject,
  [IS_ARRAY]: () => isArray,
  [IS_IN]: ([values]) => (value) => isIn(value, values as readonly unknown[]),
  [MIN]: ([bound]) => (value) => min(value, bound as number),
  [MAX]: ([bound]) => (value) => max(value, bound as number),
  [IS_LENGTH]: ([least, most]) => (value) => length(value, least as number, most as number | undefined),
  [MAX_LENGTH]: ([most]) => (value) => maxLength(value, most as number),
};

const never: CompiledValidator = () => false;
const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);
const isEnumerable = (object: object, key: string): boolean => Object.prototype.propertyIsEnumerable.call(object, key);

/**
 * Compiles, once, the class-validator metadata of `dto` into a predicate that answers true only when
 * `validateSync(Object.assign(Object.create(dto.prototype), plain), options)` finds no error, for
 * options that shape the errors only (`validationError`), not which checks run. Anything it does not
 * know — another decorator, `each`, groups, nested or custom constraints, accessors on the class —
 * compiles to "always false", so a decorator added later can only make the fast path rarer, never laxer.
 */
export function compileValidator(dto: abstract new (...args: never[]) => unknown): CompiledValidator {
  const storage = getMetadataStorage();
  // what validateSync selects with the default options: always false, no strict groups, no groups
  const metadatas = storage.getTargetValidationMetadatas(dto, '', false, false, undefined);
  // no metadata: validateSync reports an unknown value (forbidUnknownValues)
  if (metadatas.length === 0 || hasAccessors(dto.prototype as object)) return never;
  const fields = new Map<string, CompiledField>();
  for (const metadata of metadatas) {
    if (metadata.each || metadata.groups?.length || metadata.always !== undefined) return never;
    const field = fields.get(metadata.propertyName) ?? { name: metadata.propertyName, optional: false, checks: [] };
    fields.set(field.name, field);
    // @Allow() only matters with whitelist: true
    if (metadata.type === ValidationTypes.WHITELIST) continue;
    if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION && metadata.name === IS_OPTIONAL) {
      field.optional = true;
      continue;
    }
    const check = compileCheck(storage, metadata);
    if (!check) return never;
    field.checks.push(check);
  }
  const compiled = [...fields.values()].filter((field) => field.checks.length > 0);
  const prototype = dto.prototype as Record<string, unknown>;
  return (plain) => {
    // Object.assign would replace the copy's prototype, and validateSync finds the metadata by the copy's constructor
    if (hasOwn(plain, '__proto__') || hasOwn(plain, 'constructor')) return false;
    for (const { name, optional, checks } of compiled) {
      // what the copy holds: Object.assign takes own enumerable properties, the rest comes from the prototype
      const value = isEnumerable(plain, name) ? (plain as Record<string, unknown>)[name] : prototype[name];
      if (optional && (value === null || value === undefined)) continue;
      for (const check of checks) if (!check(value)) return false;
    }
    return true;
  };
}

/** The check of a built-in decorator, or undefined for anything else (a custom or asynchronous constraint). */
function compileCheck(storage: MetadataStorage, metadata: Metadata): Check | undefined {
  if (metadata.type !== ValidationTypes.CUSTOM_VALIDATION || metadata.name === undefined || !hasOwn(CHECKS, metadata.name)) return undefined;
  const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
  if (constraints.length !== 1 || constraints[0].async || constraints[0].name !== metadata.name) return undefined;
  return CHECKS[metadata.name]((metadata.constraints as unknown[] | undefined) ?? []);
}

/** Getters or setters on the class would run during Object.assign and change what validateSync sees. */
function hasAccessors(prototype: object): boolean {
  for (let level: object | null = prototype; level && level !== Object.prototype; level = Object.getPrototypeOf(level) as object | null) {
    for (const descriptor of Object.values(Object.getOwnPropertyDescriptors(level))) {
      if (descriptor.get || descriptor.set) return true;
    }
  }
  return false;
}
