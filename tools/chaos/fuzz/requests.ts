import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { Operation, resolveSchema, SchemaObject, schemaType } from './openapi';
import { anyValue, boundaryValue, deepValue, Dictionary, mixedValue, nastyObject, nastyString, RawJson, validValue, ValueContext, wrongTypeValue } from './values';

/**
 * One fuzzed request, as data: fast-check shrinks it, the report prints it, `toWire` turns it into
 * bytes. Credentials are named, never held: the driver fills them in when it sends.
 */
export interface FuzzRequest {
  credential: Credential;
  /** raw (already percent-encoded, or deliberately not) path segments by parameter name */
  path: Record<string, string>;
  /** the raw query string, without `?` */
  query: string;
  headers: Record<string, string>;
  body: BodySpec | null;
}

export const CREDENTIALS = ['admin', 'user', 'none', 'bogus-key', 'bogus-jwt', 'bogus-scheme', 'empty-bearer'] as const;
export type Credential = (typeof CREDENTIALS)[number];

export type BodySpec =
  /** a JSON document, `RawJson` parts written as they are */
  | { kind: 'json'; value: unknown; contentType: string | null }
  /** text that is not what the content type says (broken JSON, a form, XML) */
  | { kind: 'text'; text: string; contentType: string | null }
  /** bytes: invalid UTF-8, UTF-16, a BOM, compressed or garbage with a Content-Encoding */
  | { kind: 'bytes'; base64: string; contentType: string | null; contentEncoding?: string }
  /** a body of `bytes` bytes, built when sent: a JSON string field, a JSON array, or not JSON at all */
  | { kind: 'huge'; bytes: number; shape: 'string-field' | 'array' | 'not-json'; field: string; base: unknown };

export const JSON_TYPE = 'application/json';

/** around each app's own body limit (auth 64 KB, the others 1 MB) and the gateway's (2 MB) */
export const HUGE_SIZES = [64 * 1024 - 512, 64 * 1024 + 1, 1024 * 1024 - 512, 1024 * 1024 + 1, 2 * 1024 * 1024 - 4096, 2 * 1024 * 1024 + 1, 8 * 1024 * 1024] as const;

export const WRONG_CONTENT_TYPES = [
  null,
  '',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=nope',
  'application/json-patch+json',
  'application/vnd.api+json',
  'APPLICATION/JSON',
  'application/json; charset="utf-8"; x=y',
  '*/*',
  'application/json, text/plain',
  'json',
] as const;

export const BROKEN_JSON = [
  '',
  '{',
  '}',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '{a:1}',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":undefined}',
  '{"a":1}{"b":2}',
  '{"a":1} trailing',
  '[1,2',
  'null',
  'true',
  '0',
  '"string"',
  '{"a":"\u0000"}',
  '{"a":"\\ud800"}',
  '{"a":"\\u00"}',
  '{"a":"\\x41"}',
  '{"a":"line\nbreak"}',
  '{"a":01}',
  '{"a":.5}',
  '{"a":1e}',
  '{"a":--1}',
  '{"__proto__":{"polluted":true}}',
  '\ufeff{}',
  '/* comment */ {}',
  '{"a":1 // comment\n}',
  '\u0000',
  ' \t\r\n ',
  'a=1&b=2',
  '<xml/>',
] as const;

/** request bodies as bytes that are not plain UTF-8 JSON */
const BYTE_BODIES: { base64: string; contentType: string | null; contentEncoding?: string }[] = [
  { base64: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]).toString('base64'), contentType: JSON_TYPE },
  { base64: Buffer.from('{"a":"\ud800"}', 'utf16le').toString('base64'), contentType: 'application/json; charset=utf-16' },
  { base64: Buffer.from('{"a":1}', 'utf16le').toString('base64'), contentType: JSON_TYPE },
  { base64: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]).toString('base64'), contentType: JSON_TYPE },
  { base64: Buffer.from([0xed, 0xa0, 0x80]).toString('base64'), contentType: JSON_TYPE },
  { base64: Buffer.from('not gzip at all').toString('base64'), contentType: JSON_TYPE, contentEncoding: 'gzip' },
  { base64: Buffer.from('not deflate').toString('base64'), contentType: JSON_TYPE, contentEncoding: 'deflate' },
  { base64: Buffer.from('{}').toString('base64'), contentType: JSON_TYPE, contentEncoding: 'br' },
  { base64: Buffer.from('{}').toString('base64'), contentType: JSON_TYPE, contentEncoding: 'x-unknown' },
  { base64: gzipSync(Buffer.from('{"a":1')).toString('base64'), contentType: JSON_TYPE, contentEncoding: 'gzip' },
  // a zip bomb in miniature: 1 MB of zeros in a JSON string, compressed to about 1 KB
  { base64: gzipSync(Buffer.from(`{"a":"${'0'.repeat(1024 * 1024)}"}`)).toString('base64'), contentType: JSON_TYPE, contentEncoding: 'gzip' },
];

/** path segments that are not ids: traversal, broken or odd percent-encoding, very long */
export const JUNK_SEGMENTS = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E%2F%2E%2E',
  '..%2F..%2Fetc%2Fpasswd',
  '%2F',
  '%5C',
  '%00',
  '%0A',
  '%E0%A4',
  '%C0%AF',
  '%ED%A0%80',
  '%FF%FE',
  '%',
  '%zz',
  '%%',
  '%u0041',
  '%20',
  '+',
  ';',
  'a;b=c',
  '*',
  '~',
  '%22%27%3C%3E',
  'null',
  'undefined',
  '0',
  '-1',
  '9007199254740993',
  '1e999',
  'NaN',
  'x'.repeat(3000),
] as const;

/** percent-encodes everything, lone surrogates too (as the invalid UTF-8 they would be) */
export function encodeSegment(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += Buffer.from([0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)])
        .toString('hex')
        .replace(/(..)/g, '%$1')
        .toUpperCase();
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}

/** a value as query text: strings as they are, numbers written out, the rest as JSON */
function queryText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof RawJson) return value.text;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value);
}

interface RequestContext extends ValueContext {
  dictionary: Dictionary;
}

function pathSegment(schema: SchemaObject | undefined, context: RequestContext): fc.Arbitrary<string> {
  const options: fc.WeightedArbitrary<string>[] = [
    { weight: 3, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: validValue(schema, context).map((v) => encodeSegment(queryText(v))) },
    { weight: 2, arbitrary: boundaryValue(schema, context).map((v) => encodeSegment(queryText(v))) },
    { weight: 2, arbitrary: fc.constantFrom(...JUNK_SEGMENTS) },
    { weight: 1, arbitrary: nastyString().map(encodeSegment) },
  ];
  if (context.dictionary.ids.length) options.push({ weight: 5, arbitrary: fc.constantFrom(...context.dictionary.ids) });
  if (context.dictionary.words.length) options.push({ weight: 1, arbitrary: fc.constantFrom(...context.dictionary.words).map(encodeSegment) });
  return fc.oneof(...options);
}

/** the query string: declared parameters (valid, boundary, wrong, repeated, bracketed) and junk */
function queryString(operation: Operation, context: RequestContext): fc.Arbitrary<string> {
  const declared = operation.parameters.filter((p) => p.in === 'query');
  const pair = (name: string, value: fc.Arbitrary<unknown>) => value.map((v) => (Array.isArray(v) ? v.map((item) => `${encodeSegment(name)}=${encodeSegment(queryText(item))}`).join('&') : `${encodeSegment(name)}=${encodeSegment(queryText(v))}`));
  const pairs: fc.Arbitrary<string>[] = declared.map((p) =>
    fc.oneof(
      { weight: 4, arbitrary: pair(p.name, validValue(p.schema, context)) },
      { weight: 2, arbitrary: pair(p.name, boundaryValue(p.schema, context)) },
      { weight: 1, arbitrary: pair(p.name, wrongTypeValue(p.schema, context)) },
      // the same parameter twice: express hands the handler an array
      { weight: 1, arbitrary: fc.tuple(pair(p.name, validValue(p.schema, context)), pair(p.name, mixedValue(p.schema, context))).map(([a, b]) => `${a}&${b}`) },
      { weight: 1, arbitrary: fc.constantFrom(`${p.name}[]=1`, `${p.name}[0]=1&${p.name}[1]=2`, `${p.name}[a]=1`, `${p.name}`, `${p.name}=`, `${p.name}=%zz`, `${p.name}=%00`, `${p.name}=%E0%A4`) },
    ),
  );
  const junk = fc.oneof(
    fc.constantFrom('__proto__[isAdmin]=1', 'constructor[prototype][x]=1', '=', '&&&', '?', '%', 'a=%zz', 'a[b][c][d][e][f][g]=1', `a=${'x'.repeat(1500)}`, ';', 'a=1;b=2', '#x'),
    fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), nastyString()).map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v.slice(0, 300))}`),
  );
  return fc
    .tuple(fc.subarray(pairs.map((_, i) => i)), fc.tuple(...(pairs.length ? pairs : [fc.constant('')])), fc.array(junk, { maxLength: 2 }), fc.nat())
    .map(([chosen, values, extra, order]) => {
      const parts = [...chosen.map((i) => values[i]), ...extra].filter((p) => p !== '');
      // a deterministic shuffle, so shrinking keeps the order
      return parts.sort((a, b) => ((a.length * 31 + order) % 7) - ((b.length * 31 + order) % 7)).join('&');
    });
}

function headerParameters(operation: Operation, context: RequestContext): fc.Arbitrary<Record<string, string>> {
  const declared = operation.parameters.filter((p) => p.in === 'header');
  // header values must be latin-1 without control characters: what an HTTP client can send at all
  const headerText = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary-ascii', maxLength: 200 }).map((s) => [...s].filter((c) => c === '\t' || (c >= ' ' && c !== '\u007f')).join('')),
    fc.constantFrom('', ' ', 'x'.repeat(4000), '\u00ff\u00fe', 'null', '../..', ...context.dictionary.ids.slice(0, 2)),
  );
  const model: Record<string, fc.Arbitrary<string>> = Object.fromEntries(declared.map((p) => [p.name.toLowerCase(), headerText]));
  model['x-request-id'] = fc.oneof(fc.uuid(), fc.constantFrom('', 'x'.repeat(5000), 'a b', '\u00e9', '../../', '{"a":1}', 'req\tid'));
  model.accept = fc.constantFrom('*/*', 'application/json', 'text/html', 'text/event-stream', 'image/png', 'application/xml', '', 'garbage/;;');
  return fc.record(model, { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>>;
}

/** a string-typed property of the body, to carry a huge value through to validation */
function stringField(schema: SchemaObject, context: RequestContext): string {
  const properties = schema.properties ?? {};
  return Object.keys(properties).find((name) => schemaType(resolveSchema(context.document, properties[name])) === 'string') ?? 'padding';
}

/** a body for a JSON schema: valid, with some fields fuzzed, fields missing or extra, or the wrong thing altogether */
export function bodyValue(schema: SchemaObject, context: RequestContext): fc.Arbitrary<unknown> {
  const resolved = resolveSchema(context.document, schema);
  if (schemaType(resolved) !== 'object' || !resolved.properties || Object.keys(resolved.properties).length === 0) {
    return fc.oneof({ weight: 3, arbitrary: validValue(resolved, context) }, { weight: 2, arbitrary: mixedValue(resolved, context) }, { weight: 1, arbitrary: anyValue() });
  }
  const properties = resolved.properties;
  const names = Object.keys(properties);
  const required = (resolved.required ?? []).filter((name) => name in properties);
  const valid = validValue(resolved, context) as fc.Arbitrary<Record<string, unknown>>;
  const oneField = fc.constantFrom(...names).chain((name) =>
    fc.tuple(fc.constant(name), fc.oneof(boundaryValue(properties[name], context), wrongTypeValue(properties[name], context), deepValue())),
  );
  const options: fc.WeightedArbitrary<unknown>[] = [
    { weight: 4, arbitrary: valid },
    // valid but for one or two fields
    { weight: 5, arbitrary: fc.tuple(valid, fc.array(oneField, { minLength: 1, maxLength: 2 })).map(([body, changes]) => ({ ...body, ...Object.fromEntries(changes) })) },
    // every field drawn from valid, boundary and wrong values
    { weight: 2, arbitrary: fc.record(Object.fromEntries(names.map((n) => [n, mixedValue(properties[n], { ...context, field: n })])), { requiredKeys: [] }) },
    // unknown fields next to valid ones
    { weight: 1, arbitrary: fc.tuple(valid, fc.oneof(nastyObject(), fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), anyValue(), { minKeys: 1, maxKeys: 3 }))).map(([body, extra]) => Object.assign({}, extra, body)) },
    // not an object at all
    { weight: 1, arbitrary: fc.oneof(wrongTypeValue(resolved, context), anyValue()) },
  ];
  if (required.length) {
    // required fields missing
    options.push({ weight: 1, arbitrary: fc.tuple(valid, fc.subarray(required, { minLength: 1 })).map(([body, drop]) => Object.fromEntries(Object.entries(body).filter(([k]) => !drop.includes(k)))) });
  }
  return fc.oneof(...options);
}

function bodySpec(operation: Operation, context: RequestContext): fc.Arbitrary<BodySpec | null> {
  const schema = operation.body ? resolveSchema(context.document, operation.body.schema) : undefined;
  const value = schema ? bodyValue(schema, context) : anyValue();
  const base = schema ? validValue(schema, context) : fc.constant({});
  const field = schema ? stringField(schema, context) : 'padding';
  const hostile: fc.WeightedArbitrary<BodySpec | null>[] = [
    { weight: 1, arbitrary: fc.constantFrom(...BROKEN_JSON).map((text): BodySpec => ({ kind: 'text', text, contentType: JSON_TYPE })) },
    {
      weight: 1,
      arbitrary: fc.tuple(base, fc.nat(), fc.constantFrom(...WRONG_CONTENT_TYPES)).map(([v, cut, contentType]): BodySpec => {
        const text = JSON.stringify(v) ?? '';
        return { kind: 'text', text: cut % 3 === 0 ? text.slice(0, cut % Math.max(1, text.length)) : text, contentType };
      }),
    },
    { weight: 1, arbitrary: fc.constantFrom(...BYTE_BODIES).map((b): BodySpec => ({ kind: 'bytes', ...b })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...HUGE_SIZES), fc.constantFrom('string-field', 'array', 'not-json') as fc.Arbitrary<'string-field' | 'array' | 'not-json'>, base).map(([bytes, shape, b]): BodySpec => ({ kind: 'huge', bytes, shape, field, base: b })) },
  ];
  if (operation.body) {
    return fc.oneof(
      { weight: 14, arbitrary: value.map((v): BodySpec => ({ kind: 'json', value: v, contentType: JSON_TYPE })) },
      { weight: operation.body.required ? 0 : 1, arbitrary: fc.constant(null) },
      ...hostile,
    );
  }
  // operations without a body get one now and then: it must be ignored or refused, never break them
  return fc.oneof({ weight: 16, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: value.map((v): BodySpec => ({ kind: 'json', value: v, contentType: JSON_TYPE })) }, ...hostile);
}

function credential(operation: Operation): fc.Arbitrary<Credential> {
  return fc.oneof(
    { weight: 10, arbitrary: fc.constant<Credential>('admin') },
    { weight: 5, arbitrary: fc.constant<Credential>('user') },
    { weight: operation.secured ? 2 : 4, arbitrary: fc.constant<Credential>('none') },
    { weight: 2, arbitrary: fc.constantFrom<Credential>('bogus-key', 'bogus-jwt', 'bogus-scheme', 'empty-bearer') },
  );
}

/** Every request fast-check may try against one operation. */
export function requestArbitrary(operation: Operation, context: RequestContext): fc.Arbitrary<FuzzRequest> {
  const pathNames = operation.parameters.filter((p) => p.in === 'path');
  return fc.record({
    credential: credential(operation),
    path: fc.record(Object.fromEntries(pathNames.map((p) => [p.name, pathSegment(p.schema, context)]))) as fc.Arbitrary<Record<string, string>>,
    query: fc.oneof({ weight: 2, arbitrary: fc.constant('') }, { weight: 3, arbitrary: queryString(operation, context) }),
    headers: headerParameters(operation, context),
    body: bodySpec(operation, context),
  });
}

/**
 * Requests every operation gets whatever the number of runs: each huge size, broken JSON, a wrong
 * content type, bytes that are not UTF-8, path traversal. fast-check runs them before the random ones.
 */
export function fixedRequests(operation: Operation, context: RequestContext): FuzzRequest[] {
  const schema = operation.body ? resolveSchema(context.document, operation.body.schema) : undefined;
  const field = schema ? stringField(schema, context) : 'padding';
  const pathDefault = Object.fromEntries(operation.parameters.filter((p) => p.in === 'path').map((p) => [p.name, context.dictionary.ids[0] ?? '00000000-0000-0000-0000-000000000000']));
  const plain = (body: BodySpec | null, path = pathDefault, query = ''): FuzzRequest => ({ credential: 'admin', path, query, headers: {}, body });
  const requests: FuzzRequest[] = [
    plain({ kind: 'text', text: '{"a":', contentType: JSON_TYPE }),
    plain({ kind: 'text', text: '{"a":1}', contentType: 'text/plain' }),
    plain({ kind: 'bytes', ...BYTE_BODIES[0] }),
    plain({ kind: 'json', value: { [field]: new RawJson(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) }, contentType: JSON_TYPE }),
    ...HUGE_SIZES.filter((size) => size < 8 * 1024 * 1024).map((bytes) => plain({ kind: 'huge', bytes, shape: 'string-field', field, base: {} })),
  ];
  if (Object.keys(pathDefault).length) {
    for (const segment of ['..', '%2e%2e%2f%2e%2e', '%E0%A4', '%zz', '%00', encodeSegment('\ud800')]) {
      requests.push(plain(null, Object.fromEntries(Object.keys(pathDefault).map((name) => [name, segment]))));
    }
  }
  const query = operation.parameters.find((p) => p.in === 'query');
  if (query) requests.push(plain(null, pathDefault, `${query.name}=1&${query.name}=2`), plain(null, pathDefault, `${query.name}[]=%E0%A4`));
  return requests;
}
