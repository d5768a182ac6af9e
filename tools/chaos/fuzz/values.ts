import fc from 'fast-check';
import { OpenApiDocument, resolveSchema, SchemaObject, schemaType } from './openapi';

/**
 * Values for one schema, in three kinds: `valid` (what the schema allows, random inside its bounds),
 * `boundary` (at and just past every bound, odd numbers, hostile unicode, near-miss formats) and
 * `wrongType` (a JSON value of another type). `mixed` takes mostly valid values with some of the
 * others, field by field.
 */

/** Known values worth hitting: ids of throwaway resources, model names, serials, harmless URLs. */
export interface Dictionary {
  ids: string[];
  words: string[];
  urls: string[];
  /** values that lead somewhere for a field of this name (`model` → a model an instance serves) */
  fields?: Record<string, string[]>;
}

export const EMPTY_DICTIONARY: Dictionary = { ids: [], words: [], urls: [] };

/** A JSON literal written as is into the body: `1e999`, a 30-digit integer, `-0`. */
export class RawJson {
  constructor(readonly text: string) {}
  toString(): string {
    return `raw(${this.text.length > 40 ? `${this.text.slice(0, 20)}…${this.text.length} chars` : this.text})`;
  }
}

export interface ValueContext {
  document: OpenApiDocument;
  dictionary: Dictionary;
  /** how deep in the value this is, to stop recursive schemas */
  depth?: number;
  /** the property the value is for */
  field?: string;
}

/**
 * Properties that name a host the system connects to: valid values stay on this machine (or under
 * the reserved `.invalid` domain), so the fuzz never makes the system reach out to the internet.
 */
const HOST_FIELDS = new Set(['host', 'hostname']);

/** strings that break naive code: NUL, lone surrogates, RTL override, emoji, combining marks, BOM, injection-looking text */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\udc00\ud800',
  '😀',
  '👩‍👩‍👧‍👦',
  'שלום עולם',
  'مرحبا بالعالم',
  '\u202eevil\u202c',
  '\ufeffbom',
  'zero\u200bwidth',
  'e\u0301\u0301\u0301',
  'Ω≈ç√∫',
  'ＡＢＣ１２３',
  '\u0085\u2028\u2029',
  '\u001b[31mred',
  '\r\n\t\u000b\f',
  '\\',
  '"',
  "'; DROP TABLE users; --",
  '<script>alert(1)</script>',
  '{{7*7}}${7*7}',
  '%s%n%x',
  '../../../../etc/passwd',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'true',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '0x1F',
  ' 7 ',
  '-0',
  '\u00ff\u00fe',
  '\ufffd',
  '\uffff',
  '\u{10ffff}',
];

/** numbers at the edges of what JSON, doubles, int32 and safe integers hold */
const EDGE_NUMBERS: readonly number[] = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1.5,
  Number.EPSILON,
  Number.MIN_VALUE,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MIN_SAFE_INTEGER,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 32,
  2 ** 53,
  2 ** 63,
  1e21,
  1e308,
  -1e308,
  Number.MAX_VALUE,
];

/** literals JSON.parse reads as numbers JavaScript cannot hold exactly (or at all) */
const RAW_NUMBERS: readonly string[] = ['1e999', '-1e999', '123456789012345678901234567890', '-0', '1E2', '0.1e1', '1.0', '1e-999', '0.00000000000000000000001', '9007199254740993'];

/** strings that look like numbers to a lenient parser */
const NUMBER_LIKE_STRINGS: readonly string[] = ['1', '0', '-1', '', ' ', 'NaN', 'Infinity', '-Infinity', '1e999', '0x10', '0b11', ' 7 ', '7abc', '1,5', '1_000', '+1', '.5', '1.', '١٢٣', '9007199254740993'];

const DEEP_DEPTHS = [64, 1000, 10_000, 100_000] as const;

const LONG_LENGTHS = [1_000, 65_536, 300_000] as const;

export function nastyString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    // a lone surrogate or NUL hidden in ordinary text
    { weight: 2, arbitrary: fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\u202e'), fc.string({ maxLength: 20 })).map(([a, b, c]) => a + b + c) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', '😀', 'é', '\u0000', '字'), fc.constantFrom(...LONG_LENGTHS)).map(([c, n]) => c.repeat(n)) },
  );
}

function patternArbitrary(pattern: string, min: number, max: number): fc.Arbitrary<string> | undefined {
  try {
    const regex = new RegExp(pattern);
    return fc.stringMatching(regex, { size: 'xsmall' }).filter((s) => s.length >= min && s.length <= max && regex.test(s));
  } catch {
    return undefined;
  }
}

function uuidNearMisses(dictionary: Dictionary): string[] {
  const base = dictionary.ids[0] ?? '3fa85f64-5717-4562-b3fc-2c963f66afa6';
  return [
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    base.toUpperCase(),
    `{${base}}`,
    base.replace(/-/g, ''),
    `${base}0`,
    base.slice(1),
    base.replace(/^./, 'g'),
    `${base} `,
    `urn:uuid:${base}`,
    '00000000-0000-0000-0000-00000000000',
    '1',
    '-1',
    '0',
  ];
}

const DATE_NEAR_MISSES = [
  '-271821-04-20T00:00:00.000Z',
  '+275760-09-13T00:00:00.000Z',
  '+275760-09-13T00:00:00.001Z',
  '-100000-01-01T00:00:00Z',
  '+100000-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '1969-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59.999Z',
  '2024-02-30T00:00:00Z',
  '2024-13-01T00:00:00Z',
  '2024-01-01T25:61:61Z',
  '2024-01-01',
  '1700000000000',
  '8640000000000001',
  'now',
  'yesterday',
  'Tue, 01 Jan 2030 00:00:00 GMT',
  '',
];

const EMAIL_NEAR_MISSES = ['a@b', '@example.com', 'a@', 'a@@b.co', 'a b@c.co', `${'a'.repeat(65)}@example.com`, `a@${'b'.repeat(250)}.com`, 'ü@bücher.de', 'a@b.co\u0000', 'A@EXAMPLE.COM', '"quoted"@example.com', 'a+tag@example.com'];

function uriNearMisses(dictionary: Dictionary): string[] {
  return [
    'http://169.254.169.254/latest/meta-data/',
    'http://metadata.google.internal/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://user:secret@127.0.0.1:9/',
    'ftp://127.0.0.1/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/plain,hi',
    '//127.0.0.1/',
    'http://',
    'http://127.0.0.1:99999/',
    'http://127.0.0.1:0/',
    'http://[::1]:9/',
    'http://%zz/',
    `http://127.0.0.1:9/${'a'.repeat(2100)}`,
    'http://127.0.0.1:9/\u0000',
    'http://xn--80ak6aa92e.invalid/',
    'HTTP://127.0.0.1:9/',
    ...dictionary.urls.map((u) => `${u}?q=${'x'.repeat(10)}#frag`),
  ];
}

/** a valid value of the schema, random within its bounds */
export function validValue(schema: SchemaObject | undefined, context: ValueContext): fc.Arbitrary<unknown> {
  const depth = context.depth ?? 0;
  const resolved = resolveSchema(context.document, schema);
  if (depth > 8) return fc.constant(defaultOf(resolved));
  if (resolved.enum?.length) {
    const known = (context.field ? (context.dictionary.fields?.[context.field] ?? []) : []).filter((v) => resolved.enum!.includes(v));
    return known.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: fc.constantFrom(...resolved.enum) }) : fc.constantFrom(...resolved.enum);
  }
  const inner: ValueContext = { ...context, depth: depth + 1 };
  if (resolved.oneOf?.length || resolved.anyOf?.length) {
    return fc.oneof(...(resolved.oneOf ?? resolved.anyOf ?? []).map((s) => validValue(s, inner)));
  }
  switch (schemaType(resolved)) {
    case 'string': {
      const known = context.field ? (context.dictionary.fields?.[context.field] ?? []) : [];
      const random = validString(resolved, context.dictionary, context.field);
      // mostly what leads somewhere (so requests get past "not found" into the handler), else anything valid
      return known.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: random }) : random;
    }
    case 'integer': {
      const { min, max } = integerBounds(resolved);
      return fc.oneof({ weight: 3, arbitrary: fc.integer({ min, max }) }, { weight: 1, arbitrary: fc.constantFrom(min, max) });
    }
    case 'number': {
      const { min, max, minExcluded } = numberBounds(resolved);
      return fc.oneof(
        { weight: 3, arbitrary: fc.double({ min, max, minExcluded, noNaN: true, noDefaultInfinity: true }) },
        { weight: 1, arbitrary: fc.constantFrom(...[min, max].filter((n) => Number.isFinite(n) && !(minExcluded && n === min))) },
      );
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = resolved.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(resolved.maxItems ?? 4, 4));
      const item = validValue(resolved.items, inner);
      if (resolved.uniqueItems) return fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) }).filter((a) => a.length >= minLength);
      return fc.array(item, { minLength, maxLength });
    }
    case 'object':
      return validObject(resolved, inner);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function defaultOf(schema: SchemaObject): unknown {
  switch (schemaType(schema)) {
    case 'string':
      return 'x';
    case 'integer':
    case 'number':
      return schema.minimum ?? 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    default:
      return {};
  }
}

function validObject(schema: SchemaObject, context: ValueContext): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  if (names.length === 0) {
    if (schema.additionalProperties === false) return fc.constant({});
    const values = typeof schema.additionalProperties === 'object' ? validValue(schema.additionalProperties, context) : fc.jsonValue({ maxDepth: 1 });
    // keys of a map are ids: model names, metadata keys
    const keys = fc.oneof(fc.stringMatching(/^[A-Za-z0-9][\w.:/-]{0,15}$/), ...(context.dictionary.words.length ? [fc.constantFrom(...context.dictionary.words)] : []));
    return fc.dictionary(keys, values, { maxKeys: 3 });
  }
  const model = Object.fromEntries(names.map((name) => [name, validValue(properties[name], { ...context, field: name })]));
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((name) => name in properties) });
}

function validString(schema: SchemaObject, dictionary: Dictionary, field?: string): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  if (field && HOST_FIELDS.has(field)) {
    return fc.oneof(fc.constantFrom('127.0.0.1', 'localhost', '127.0.0.2'), fc.stringMatching(/^[a-z](?:[a-z0-9-]{0,18}[a-z0-9])?$/).map((label) => `${label}.invalid`));
  }
  const max = Math.max(min, Math.min(schema.maxLength ?? 64, 64));
  const words = dictionary.words.filter((w) => w.length >= min && w.length <= (schema.maxLength ?? Infinity));
  switch (schema.format) {
    case 'uuid':
      return dictionary.ids.length ? fc.oneof(fc.constantFrom(...dictionary.ids), fc.uuid()) : fc.uuid();
    case 'email':
      return fc.emailAddress().filter((e) => e.length <= (schema.maxLength ?? 254));
    case 'date-time':
      // in the future: some dates must be (an API key's expiry), none is refused for it; past ones are boundary values
      return fc.date({ min: new Date(Date.now() + 86_400_000), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'uri':
      return dictionary.urls.length
        ? fc.tuple(fc.constantFrom(...dictionary.urls), fc.stringMatching(/^[a-z0-9/_-]{0,12}$/)).map(([url, path]) => `${url.replace(/\/$/, '')}/${path}`)
        : fc.constant('http://127.0.0.1:9/hook');
  }
  if (schema.pattern) {
    const matching = patternArbitrary(schema.pattern, min, schema.maxLength ?? Infinity);
    // dictionary words only where the pattern takes them (`2026-10-21` is a valid version, `x` is not)
    const fitting = words.filter((w) => new RegExp(schema.pattern!).test(w)).slice(0, 8);
    if (matching) return fitting.length ? fc.oneof(matching, fc.constantFrom(...fitting)) : matching;
  }
  const plain = fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: min, maxLength: max }) },
    // one code point per unit: lengths are counted in code points by the validators
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-composite', minLength: min, maxLength: max }) },
  );
  return words.length ? fc.oneof({ weight: 2, arbitrary: plain }, { weight: 1, arbitrary: fc.constantFrom(...words) }) : plain;
}

function integerBounds(schema: SchemaObject): { min: number; max: number } {
  let min = Math.max(schema.minimum ?? Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER);
  let max = Math.min(schema.maximum ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (schema.exclusiveMinimum === true) min += 1;
  if (typeof schema.exclusiveMinimum === 'number') min = Math.floor(schema.exclusiveMinimum) + 1;
  if (schema.exclusiveMaximum === true) max -= 1;
  if (typeof schema.exclusiveMaximum === 'number') max = Math.ceil(schema.exclusiveMaximum) - 1;
  return { min: Math.ceil(min), max: Math.floor(Math.max(min, max)) };
}

function numberBounds(schema: SchemaObject): { min: number; max: number; minExcluded: boolean } {
  const min = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : (schema.minimum ?? -1e9);
  const max = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : (schema.maximum ?? 1e9);
  return { min, max, minExcluded: schema.exclusiveMinimum !== undefined && schema.exclusiveMinimum !== false };
}

/** values at and just past the schema's bounds, and the hostile ones of its type */
export function boundaryValue(schema: SchemaObject | undefined, context: ValueContext): fc.Arbitrary<unknown> {
  const resolved = resolveSchema(context.document, schema);
  const type = schemaType(resolved);
  const arbitraries: fc.Arbitrary<unknown>[] = [];
  if (resolved.enum?.length) {
    const strings = resolved.enum.filter((v): v is string => typeof v === 'string');
    arbitraries.push(fc.constantFrom(...strings.flatMap((v) => [v.toUpperCase(), ` ${v}`, `${v}\u0000`, v.slice(0, -1), `${v}s`]), '', '*'));
  }
  if (type === 'string' || (!type && !resolved.enum)) arbitraries.push(...stringBoundaries(resolved, context.dictionary));
  if (type === 'integer' || type === 'number') {
    const candidates = [...EDGE_NUMBERS];
    for (const bound of [resolved.minimum, resolved.maximum]) if (typeof bound === 'number') candidates.push(bound, bound - 1, bound + 1, bound - 0.5, bound + 0.5, bound - Number.EPSILON * Math.max(1, Math.abs(bound)));
    arbitraries.push(fc.constantFrom(...candidates), fc.constantFrom(...RAW_NUMBERS).map((t) => new RawJson(t)), fc.double({ noNaN: true, noDefaultInfinity: true }));
  }
  if (type === 'array') {
    const item = validValue(resolved.items, { ...context, depth: (context.depth ?? 0) + 1 });
    const sizes = [0, resolved.minItems, resolved.maxItems, (resolved.maxItems ?? 1000) + 1, 10_000].filter((n): n is number => typeof n === 'number' && n >= 0 && n <= 10_000);
    arbitraries.push(
      fc.tuple(fc.constantFrom(...sizes), item).map(([n, v]) => Array.from({ length: n }, () => v)),
      fc.array(boundaryValue(resolved.items, { ...context, depth: (context.depth ?? 0) + 1 }), { minLength: 1, maxLength: 3 }),
      fc.array(wrongTypeValue(resolved.items, context), { minLength: 1, maxLength: 3 }),
    );
  }
  if (type === 'object') {
    arbitraries.push(nastyObject(), deepValue());
  }
  if (type === 'boolean') arbitraries.push(fc.constantFrom(true, false));
  return arbitraries.length ? fc.oneof(...arbitraries) : fc.constantFrom(...NASTY_STRINGS);
}

function stringBoundaries(schema: SchemaObject, dictionary: Dictionary): fc.Arbitrary<unknown>[] {
  const lengths = new Set<number>([0, 1]);
  for (const bound of [schema.minLength, schema.maxLength]) {
    if (typeof bound !== 'number') continue;
    for (const n of [bound - 1, bound, bound + 1]) if (n >= 0 && n <= 2_100_000) lengths.add(n);
  }
  const chars = ['a', '😀', 'é', '\u0000', '\ud800', 'ש', ' '];
  const arbitraries: fc.Arbitrary<unknown>[] = [
    fc.tuple(fc.constantFrom(...lengths), fc.constantFrom(...chars)).map(([n, c]) => c.repeat(n)),
    nastyString(),
  ];
  if (schema.format === 'uuid') arbitraries.push(fc.constantFrom(...uuidNearMisses(dictionary)));
  if (schema.format === 'date-time') arbitraries.push(fc.constantFrom(...DATE_NEAR_MISSES));
  if (schema.format === 'email') arbitraries.push(fc.constantFrom(...EMAIL_NEAR_MISSES));
  if (schema.format === 'uri') arbitraries.push(fc.constantFrom(...uriNearMisses(dictionary)));
  if (schema.pattern) {
    // one character the pattern does not allow, inside an otherwise plausible value
    arbitraries.push(fc.tuple(fc.constantFrom('emulator-5554', '127.0.0.1', 'host'), fc.constantFrom(' ', ';', '$(reboot)', '\u0000', '/', '\\', '\n', '`', '..', '%', '😀')).map(([v, bad]) => v + bad + v));
    arbitraries.push(fc.string({ unit: 'binary-ascii', maxLength: 30 }).filter((s) => !safeTest(schema.pattern!, s)));
  }
  return arbitraries;
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return false;
  }
}

/** a JSON value of a type the schema does not allow */
export function wrongTypeValue(schema: SchemaObject | undefined, context: ValueContext): fc.Arbitrary<unknown> {
  const type = schemaType(resolveSchema(context.document, schema));
  const byType: Record<string, unknown[]> = {
    string: [0, -1, 1.5, 1e308, true, false, null, [], ['a'], {}, { value: 'a' }],
    integer: [...NUMBER_LIKE_STRINGS, true, false, null, [], [1], {}, { value: 1 }, 1.5, 0.1],
    number: [...NUMBER_LIKE_STRINGS, true, false, null, [], [1], {}, { value: 1 }],
    boolean: ['true', 'false', 'yes', '1', '0', '', 1, 0, null, [], [true], {}],
    array: [{}, { 0: 'a', length: 1 }, 'a', '', '[]', 1, true, null],
    object: [[], [{}], 'x', '', 0, 1, true, false, null],
    null: [0, '', false, [], {}],
  };
  if (!type) return deepValue();
  return fc.constantFrom(...byType[type]);
}

/** objects with keys that break naive code: prototype keys, many keys, odd key strings */
export function nastyObject(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom<unknown>(
      JSON.parse('{"__proto__":{"isAdmin":true,"role":"admin"}}'),
      { constructor: { prototype: { isAdmin: true } } },
      { prototype: null, toString: 'x', valueOf: 1, hasOwnProperty: 'x' },
      { '': 1, '\u0000': 2, '\ud800': 3, '😀': 4, 'a.b': 5, '$where': 'sleep(1)', '[0]': 6 },
    ),
    fc.integer({ min: 100, max: 20_000 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))),
    fc.dictionary(nastyString(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
  );
}

/** arrays or objects nested far deeper than any schema */
export function deepValue(): fc.Arbitrary<RawJson> {
  return fc.tuple(fc.constantFrom(...DEEP_DEPTHS), fc.constantFrom('[', '{"a":')).map(([depth, open]) => new RawJson(open.repeat(depth) + (open === '[' ? '' : '1') + (open === '[' ? ']' : '}').repeat(depth)));
}

/** anything JSON can carry, hostile values included */
export function anyValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 2, arbitrary: nastyString() },
    { weight: 1, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_NUMBERS).map((t) => new RawJson(t)) },
    { weight: 1, arbitrary: nastyObject() },
    { weight: 1, arbitrary: deepValue() },
  );
}

/** a value for a field: valid most of the time, else a boundary or a wrong type */
export function mixedValue(schema: SchemaObject | undefined, context: ValueContext): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: validValue(schema, context) },
    { weight: 3, arbitrary: boundaryValue(schema, context) },
    { weight: 2, arbitrary: wrongTypeValue(schema, context) },
  );
}
