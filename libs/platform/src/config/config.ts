import { plainToInstance, Transform } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import { IsBoolean, validateSync } from 'class-validator';

/** A config part's class: its fields are variables (class-validator decorators, defaults as initialisers). */
export type ConfigClass<T extends object = object> = new () => T;

/** A part with some defaults changed for one process (auth's smaller HTTP_BODY_LIMIT); the environment still wins. */
export interface ConfigPartWithDefaults<T extends object = object> {
  part: ConfigClass<T>;
  defaults: Partial<T>;
}

/** What a process lists: the parts it reads, each once. */
export type ConfigParts = readonly (ConfigClass | ConfigPartWithDefaults)[];

const CONFIG_PART = Symbol('ish:config-part');

/** Marks a class as a config part: validated from the environment at start, never an API model. */
export const ConfigPart = (): ClassDecorator => (target) => {
  Reflect.defineMetadata(CONFIG_PART, true, target);
};

export function isConfigPart(target: object): boolean {
  return Reflect.getOwnMetadata(CONFIG_PART, target) === true;
}

/** `part` with `defaults` in place of its own (the environment still overrides them). */
export function withDefaults<T extends object>(part: ConfigClass<T>, defaults: Partial<T>): ConfigPartWithDefaults<T> {
  return { part, defaults };
}

/** A boolean variable: `1`, `true`, `yes`, `on` (any case) are true; anything else is false. */
export const envBoolean = () =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value)),
    IsBoolean(),
  );

export class ConfigError extends Error {}

/** The validated parts of one process, each found by its class. */
export class LoadedConfig {
  constructor(private readonly parts: ReadonlyMap<ConfigClass, object>) {}

  get<T extends object>(part: ConfigClass<T>): T {
    const value = this.parts.get(part);
    if (value === undefined) throw new Error(`${part.name} is not one of this process's config parts`);
    return value as T;
  }

  entries(): [ConfigClass, object][] {
    return [...this.parts];
  }
}

/**
 * Reads and validates the environment into every part at once, failing with one ConfigError that names
 * every offending variable of all of them. Unknown variables are ignored (the environment holds much else).
 */
export function loadConfigParts(parts: ConfigParts, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const listed = parts.map((entry) => (typeof entry === 'function' ? { part: entry, defaults: {} } : entry));
  assertOneOwnerPerVariable(listed.map(({ part }) => part));
  const source = setVariables(env);
  const problems: string[] = [];
  const loaded = new Map<ConfigClass, object>();
  for (const { part, defaults } of listed) {
    const { value, errors } = readPart(part, defaults, source);
    problems.push(...errors);
    loaded.set(part, value);
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return new LoadedConfig(loaded);
}

/** One part on its own (a lib's tests, a tool): the same reading and messages as loadConfigParts. */
export function loadConfig<T extends object>(part: ConfigClass<T>, env: NodeJS.ProcessEnv = process.env): T {
  return loadConfigParts([part], env).get(part);
}

function readPart(part: ConfigClass, defaults: object, source: Record<string, string>): { value: object; errors: string[] } {
  if (!isConfigPart(part)) throw new Error(`${part.name} is not a config part (@ConfigPart())`);
  const initial = { ...new part(), ...defaults } as Record<string, unknown>;
  const own: Record<string, unknown> = {};
  for (const key of Object.keys(initial)) if (key in source) own[key] = source[key];
  const value = plainToInstance(part, { ...initial, ...coerceNumbers(initial, own) });
  const errors = validateSync(value, { whitelist: true, forbidUnknownValues: false });
  return { value, errors: errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`) };
}

/** a variable read by two parts would mean two owners, two defaults and two messages for one setting */
function assertOneOwnerPerVariable(parts: ConfigClass[]): void {
  const owner = new Map<string, string>();
  for (const part of parts) {
    for (const key of Object.keys(new part())) {
      const other = owner.get(key);
      if (other !== undefined) throw new Error(`${key} is declared by both ${other} and ${part.name}: a variable belongs to one config part`);
      owner.set(key, part.name);
    }
  }
}

/** empty variables count as unset, so the default applies */
function setVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  const source: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') source[key] = value;
  return source;
}

/** env values are strings; turn those whose default is a number into numbers so @IsInt can judge them */
function coerceNumbers(defaults: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...source };
  for (const [key, value] of Object.entries(source)) {
    const numeric = typeof defaults[key] === 'number' || key === 'PORT' || key.endsWith('_PORT');
    if (numeric && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) out[key] = Number(value);
  }
  return out;
}
