import Ajv from 'ajv';
import fc from 'fast-check';
import { FIXTURE } from './fixture.spec-helper';
import { resolveSchema, SchemaObject, schemaType } from './openapi';
import { boundaryValue, Dictionary, RawJson, validValue, ValueContext, wrongTypeValue } from './values';
import { stringifyWithRaw } from './wire';

const dictionary: Dictionary = { ids: ['0b7e2a52-5f1e-4c55-9a4c-3c1d2e6f7a80'], words: ['fuzz-model'], urls: ['http://127.0.0.1:9/'] };
const context: ValueContext = { document: FIXTURE, dictionary };
const SEED = { seed: 42, numRuns: 300 };

/** a JSON schema validator that knows the fixture's components */
function validatorFor(schema: SchemaObject) {
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ components: FIXTURE.components }, 'doc');
  const rewrite = (node: unknown): unknown =>
    JSON.parse(JSON.stringify(node).replace(/"#\/components\//g, '"doc#/components/'));
  return ajv.compile(rewrite(schema) as object);
}

function jsonTypeOf(value: unknown): string {
  if (value instanceof RawJson) return 'raw';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

describe('validValue', () => {
  it('produces bodies the schema accepts, nested $refs included', () => {
    const schema = { $ref: '#/components/schemas/CreateThing' };
    const validate = validatorFor(schema);
    fc.assert(
      fc.property(validValue(schema, context), (value) => {
        if (!validate(value)) throw new Error(`${JSON.stringify(value)}: ${JSON.stringify(validate.errors)}`);
      }),
      SEED,
    );
  });

  it('follows allOf and $ref chains to a valid value', () => {
    for (const name of ['Login', 'Alias']) {
      const schema = { $ref: `#/components/schemas/${name}` };
      const validate = validatorFor(schema);
      fc.assert(fc.property(validValue(schema, context), (value) => validate(value) === true), SEED);
    }
  });

  it('writes formats as their format wants, ids from the dictionary among them', () => {
    const props = resolveSchema(FIXTURE, { $ref: '#/components/schemas/CreateThing' }).properties!;
    const uuids = fc.sample(validValue(props.owner, context), { seed: 1, numRuns: 200 }) as string[];
    expect(uuids.every((u) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(u))).toBe(true);
    expect(uuids).toContain(dictionary.ids[0]);
    const dates = fc.sample(validValue(props.at, context), { seed: 1, numRuns: 50 }) as string[];
    expect(dates.every((d) => new Date(d).toISOString() === d)).toBe(true);
    const urls = fc.sample(validValue(props.callback, context), { seed: 1, numRuns: 50 }) as string[];
    // the system is never sent to a host off this machine
    expect(urls.every((u) => new URL(u).hostname === '127.0.0.1')).toBe(true);
    const hosts = fc.sample(validValue(props.host, { ...context, field: 'host' }), { seed: 1, numRuns: 100 }) as string[];
    expect(hosts.every((h) => ['127.0.0.1', '127.0.0.2', 'localhost'].includes(h) || h.endsWith('.invalid'))).toBe(true);
  });
});

describe('wrongTypeValue', () => {
  const types: SchemaObject[] = [
    { type: 'string' },
    { type: 'integer', minimum: 0 },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'array', items: { type: 'string' } },
    { type: 'object', properties: { a: { type: 'string' } } },
    { $ref: '#/components/schemas/Part' },
  ];

  it.each(types.map((t) => [JSON.stringify(t), t]))('never gives a value of the type of %s', (_name, schema) => {
    const type = schemaType(resolveSchema(FIXTURE, schema as SchemaObject))!;
    const samples = fc.sample(wrongTypeValue(schema as SchemaObject, context), { seed: 7, numRuns: 200 });
    for (const value of samples) {
      const actual = jsonTypeOf(value);
      if (type === 'number') expect(['integer', 'number']).not.toContain(actual);
      else expect(actual).not.toBe(type);
    }
    // and more than one kind of wrong
    expect(new Set(samples.map(jsonTypeOf)).size).toBeGreaterThan(2);
  });

  it('answers a schema without a type (any value) with something nested far too deep', () => {
    const [value] = fc.sample(wrongTypeValue({}, context), { seed: 3, numRuns: 1 });
    expect(value).toBeInstanceOf(RawJson);
    expect(() => JSON.parse((value as RawJson).text)).not.toThrow();
  });
});

describe('boundaryValue', () => {
  it('reaches each side of a string length bound, with multi-unit characters, NUL and lone surrogates', () => {
    const samples = fc.sample(boundaryValue({ type: 'string', minLength: 2, maxLength: 5 }, context), { seed: 5, numRuns: 2000 }) as string[];
    const lengths = new Set(samples.filter((s) => typeof s === 'string').map((s) => [...s].length));
    for (const n of [0, 1, 2, 4, 5, 6]) expect(lengths).toContain(n);
    expect(samples.some((s) => s.includes('\u0000'))).toBe(true);
    expect(samples.some((s) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s))).toBe(true);
    expect(samples.some((s) => /\p{Extended_Pictographic}/u.test(s))).toBe(true);
    expect(samples.some((s) => /[\u0590-\u05ff\u0600-\u06ff]/.test(s))).toBe(true);
  });

  it('reaches each side of a number bound, huge numbers and literals JavaScript cannot hold', () => {
    const samples = fc.sample(boundaryValue({ type: 'integer', minimum: 1, maximum: 100 }, context), { seed: 5, numRuns: 2000 });
    for (const n of [0, 1, 100, 101, 0.5, Number.MAX_SAFE_INTEGER, -1, 1e308]) expect(samples).toContain(n);
    const raws = samples.filter((s): s is RawJson => s instanceof RawJson).map((r) => r.text);
    expect(raws).toEqual(expect.arrayContaining(['1e999', '123456789012345678901234567890']));
  });

  it('gives near misses of formats and enums', () => {
    const uuids = fc.sample(boundaryValue({ type: 'string', format: 'uuid' }, context), { seed: 5, numRuns: 1000 });
    expect(uuids).toEqual(expect.arrayContaining(['00000000-0000-0000-0000-000000000000', dictionary.ids[0].toUpperCase()]));
    const dates = fc.sample(boundaryValue({ type: 'string', format: 'date-time' }, context), { seed: 5, numRuns: 1000 });
    expect(dates).toEqual(expect.arrayContaining(['-271821-04-20T00:00:00.000Z', '2024-02-30T00:00:00Z']));
    const kinds = fc.sample(boundaryValue({ type: 'string', enum: ['small', 'large'] }, context), { seed: 5, numRuns: 500 });
    expect(kinds).toEqual(expect.arrayContaining(['SMALL', 'small\u0000']));
  });

  it('gives arrays past their size and objects with prototype keys or nested far too deep', () => {
    const arrays = fc.sample(boundaryValue({ type: 'array', maxItems: 3, items: { type: 'string' } }, context), { seed: 5, numRuns: 500 }) as unknown[][];
    expect(arrays.some((a) => Array.isArray(a) && a.length === 4)).toBe(true);
    const objects = fc.sample(boundaryValue({ type: 'object' }, context), { seed: 5, numRuns: 500 });
    expect(objects.some((o) => o && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, '__proto__'))).toBe(true);
    const deep = objects.find((o): o is RawJson => o instanceof RawJson && o.text.length > 10_000);
    expect(deep).toBeDefined();
    expect(stringifyWithRaw({ a: deep })).toBe(`{"a":${deep!.text}}`);
  });
});

describe('the dictionary of fields', () => {
  it('fills a field it knows with its known values most of the time, with other valid values too', () => {
    const known: ValueContext = { document: FIXTURE, dictionary: { ...dictionary, fields: { label: ['fuzz-model', 'auto'] } } };
    const labels = fc.sample(validValue({ $ref: '#/components/schemas/Part' }, known), { seed: 9, numRuns: 400 }).map((p) => (p as { label: string }).label);
    const hits = labels.filter((l) => l === 'fuzz-model' || l === 'auto').length;
    expect(hits).toBeGreaterThan(200);
    expect(hits).toBeLessThan(400);
  });
});
