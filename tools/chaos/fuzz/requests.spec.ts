import fc from 'fast-check';
import { FIXTURE } from './fixture.spec-helper';
import { listOperations } from './openapi';
import { encodeSegment, fixedRequests, FuzzRequest, HUGE_SIZES, requestArbitrary } from './requests';
import { RawJson } from './values';
import { hugeBody, stringifyWithRaw, toWire } from './wire';

const context = { document: FIXTURE, dictionary: { ids: ['0b7e2a52-5f1e-4c55-9a4c-3c1d2e6f7a80'], words: ['fuzz-model'], urls: ['http://127.0.0.1:9/'] } };
const operations = listOperations(FIXTURE);
const secrets = { admin: () => 'ish_ADMINSECRET_ADMINSECRET_ADMINSECRET', user: () => 'eyJuser.jwt.secret' };

function samples(key: string, numRuns = 400): FuzzRequest[] {
  const operation = operations.find((o) => o.key === key)!;
  return fc.sample(requestArbitrary(operation, context), { seed: 11, numRuns });
}

describe('requestArbitrary', () => {
  it('builds requests for every operation, each path parameter filled in and the path sendable as is', () => {
    // PATCH has a body without required fields, the login body comes from allOf
    for (const operation of operations) {
      for (const request of fc.sample(requestArbitrary(operation, context), { seed: 3, numRuns: 100 })) {
        const wire = toWire(operation, request, secrets);
        expect(wire.path).not.toMatch(/[{}]/);
        // what node's HTTP client accepts in a request line
        expect(wire.path).toMatch(/^\/[\u0021-\u00ff]*$/);
        expect(wire.method).toBe(operation.method.toUpperCase());
      }
    }
  });

  it('sends as the admin, a user, no one and bogus credentials', () => {
    const credentials = new Set(samples('POST /api/v1/things').map((r) => r.credential));
    expect([...credentials].sort()).toEqual(['admin', 'bogus-jwt', 'bogus-key', 'bogus-scheme', 'empty-bearer', 'none', 'user']);
  });

  it('covers valid bodies, missing required fields, unknown fields, wrong types and hostile bodies', () => {
    const bodies = samples('POST /api/v1/things', 1500).map((r) => r.body);
    const json = bodies.filter((b) => b?.kind === 'json').map((b) => (b as { value: unknown }).value);
    const objects = json.filter((v): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RawJson));
    expect(objects.some((o) => ['name', 'kind', 'parts'].every((k) => k in o))).toBe(true);
    expect(objects.some((o) => !('name' in o) || !('kind' in o) || !('parts' in o))).toBe(true);
    expect(objects.some((o) => Object.keys(o).some((k) => !['name', 'kind', 'count', 'ratio', 'enabled', 'tags', 'owner', 'at', 'callback', 'host', 'parts', 'meta', 'anything'].includes(k)))).toBe(true);
    expect(objects.some((o) => typeof o.count === 'string' || typeof o.name === 'number' || typeof o.enabled === 'string')).toBe(true);
    expect(json.some((v) => Array.isArray(v) || typeof v !== 'object' || v === null)).toBe(true);
    const kinds = new Set(bodies.map((b) => b?.kind ?? 'none'));
    expect([...kinds].sort()).toEqual(['bytes', 'huge', 'json', 'text']);
    const contentTypes = new Set(bodies.filter((b) => b?.kind === 'text').map((b) => (b as { contentType: string | null }).contentType));
    expect(contentTypes.size).toBeGreaterThan(4);
  });

  it('aims path parameters at known ids, random uuids and junk', () => {
    const ids = samples('GET /api/v1/things/{id}', 3000).map((r) => r.path.id);
    expect(ids).toContain(context.dictionary.ids[0]);
    expect(ids.some((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) && id !== context.dictionary.ids[0])).toBe(true);
    expect(ids).toEqual(expect.arrayContaining(['..']));
    expect(ids.some((id) => /%(?![0-9A-Fa-f]{2})|%E0%A4$|%00/.test(id))).toBe(true);
  });

  it('varies declared query parameters: repeated, bracketed, out of range, and adds unknown ones', () => {
    const queries = samples('GET /api/v1/things', 1500).map((r) => r.query);
    expect(queries.some((q) => /(^|&)limit=[^&]*&(.*&)?limit=/.test(q))).toBe(true);
    expect(queries.some((q) => q.includes('limit[')));
    expect(queries.some((q) => /(^|&)limit=(0|101|-1)(&|$)/.test(q))).toBe(true);
    expect(queries.some((q) => q.split('&').some((p) => p && !p.startsWith('limit')))).toBe(true);
    expect(queries).toContain('');
  });
});

describe('fixedRequests', () => {
  it('sends every operation past each body limit and with broken JSON, and path parameters with traversal and broken encoding', () => {
    const operation = operations.find((o) => o.key === 'PATCH /api/v1/things/{id}')!;
    const requests = fixedRequests(operation, context);
    const huge = requests.flatMap((r) => (r.body?.kind === 'huge' ? [r.body.bytes] : []));
    expect(huge).toEqual(HUGE_SIZES.filter((s) => s < 8 * 1024 * 1024));
    expect(huge.some((b) => b > 2 * 1024 * 1024)).toBe(true);
    expect(requests.some((r) => r.body?.kind === 'text' && r.body.text === '{"a":')).toBe(true);
    expect(requests.map((r) => r.path.id)).toEqual(expect.arrayContaining(['..', '%E0%A4', '%zz']));
  });
});

describe('wire', () => {
  it('builds huge bodies of exactly the size asked, inside a valid body', () => {
    for (const bytes of [64 * 1024 + 1, 2 * 1024 * 1024 + 1]) {
      const body = hugeBody({ kind: 'huge', bytes, shape: 'string-field', field: 'name', base: { kind: 'small', parts: [{ label: 'é' }] } });
      expect(body.length).toBe(bytes);
      expect(JSON.parse(body.toString())).toMatchObject({ kind: 'small' });
      expect(hugeBody({ kind: 'huge', bytes, shape: 'array', field: 'x', base: {} }).length).toBe(bytes);
    }
  });

  it('escapes NUL and lone surrogates in JSON and writes raw literals as they are', () => {
    expect(stringifyWithRaw({ a: '\u0000\ud800', n: new RawJson('1e999'), d: [new RawJson('[[]]')] })).toBe('{"a":"\\u0000\\ud800","n":1e999,"d":[[[]]]}');
  });

  it('percent-encodes a lone surrogate as the invalid UTF-8 it would be', () => {
    expect(encodeSegment('a\ud800/')).toBe('a%ED%A0%80%2F');
    expect(encodeSegment('😀')).toBe('%F0%9F%98%80');
  });

  it('puts the credential in only when sending', () => {
    const operation = operations.find((o) => o.key === 'GET /api/v1/things')!;
    const wire = toWire(operation, { credential: 'admin', path: {}, query: 'limit=1', headers: {}, body: null }, secrets);
    expect(wire.headers.authorization).toBe('Bearer ish_ADMINSECRET_ADMINSECRET_ADMINSECRET');
    expect(toWire(operation, { credential: 'none', path: {}, query: '', headers: {}, body: null }, secrets).headers.authorization).toBeUndefined();
  });
});
