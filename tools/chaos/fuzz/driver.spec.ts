import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { describeRequest, errorShapeProblem, fuzzOperation, FuzzStats, judge, Outcome, send, shorten } from './driver';
import { FIXTURE } from './fixture.spec-helper';
import { listOperations } from './openapi';
import { requestArbitrary } from './requests';

const operations = listOperations(FIXTURE);
const create = operations.find((o) => o.key === 'POST /api/v1/things')!;
const ADMIN_KEY = 'ish_DO_NOT_PRINT_DO_NOT_PRINT_DO_NOT_PRINT';
const credentials = { admin: () => ADMIN_KEY, user: () => 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl' };

const ok = (status: number, body: unknown, headers: Record<string, string> = {}): Outcome => ({
  status,
  ms: 1,
  headers: { 'x-request-id': 'r1', 'content-type': 'application/json; charset=utf-8', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
  timedOut: false,
});

describe('judge', () => {
  const error = { error: { type: 'invalid_request_error', code: 'validation_failed', message: 'no', details: [] } };

  it('passes answers in time, without 5xx, errors in the API.md shape', () => {
    expect(judge(create, ok(201, { id: 1 }), 10_000)).toBeNull();
    expect(judge(create, ok(400, error), 10_000)).toBeNull();
    expect(judge(create, ok(204, '', { 'content-type': '' }), 10_000)).toBeNull();
  });

  it('fails a 5xx, a hang, no answer, a missing request id and an error in another shape', () => {
    expect(judge(create, ok(500, { error: { type: 'api_error', code: 'internal_error', message: 'x' } }), 10_000)).toBe('answered 500 internal_error');
    expect(judge(create, { ...ok(200, {}), timedOut: true, status: null }, 10_000)).toBe('no answer within 10000 ms');
    expect(judge(create, { ...ok(200, {}), status: null, error: 'ECONNRESET socket hang up' }, 10_000)).toMatch(/^no answer: ECONNRESET/);
    expect(judge(create, ok(400, error, { 'x-request-id': '' }), 10_000)).toMatch(/x-request-id/);
    expect(judge(create, ok(400, '<html>400 Bad Request</html>', { 'content-type': 'text/html' }), 10_000)).toBe('400 not JSON (content-type text/html)');
    expect(judge(create, ok(404, { message: 'Cannot GET' }), 10_000)).toBe('404 without an `error` object');
    expect(judge(create, ok(200, '{"truncated":', {}), 10_000)).toMatch(/not the JSON/);
  });

  it('lets through only the documented upstream answer of the operation it names', () => {
    const allowance = [{ operation: create.key, status: 502, code: 'connect_failed', why: 'test' }];
    const upstream = ok(502, { error: { type: 'upstream_error', code: 'connect_failed', message: 'refused' } });
    expect(judge(create, upstream, 10_000, allowance)).toBeNull();
    expect(judge(operations[0], upstream, 10_000, allowance)).toBe('answered 502 connect_failed');
    expect(judge(create, ok(502, { error: { type: 'upstream_error', code: 'other', message: 'x' } }), 10_000, allowance)).toBe('answered 502 other');
  });

  it('checks every part of the error shape', () => {
    expect(errorShapeProblem(ok(400, { error: { type: 'weird', code: 'x', message: 'm' } }))).toMatch(/error.type/);
    expect(errorShapeProblem(ok(400, { error: { type: 'api_error', message: 'm' } }))).toMatch(/code/);
    expect(errorShapeProblem(ok(400, { error: { type: 'api_error', code: 'c', message: 'm', details: 'x' } }))).toMatch(/details/);
  });
});

describe('fuzzOperation against a server with a planted bug', () => {
  let server: Server;
  let baseUrl: string;
  const seen: string[] = [];

  beforeAll(async () => {
    // a service that fails (500) when a body's `name` holds a NUL character, and never answers on /hang
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/hang') return;
        seen.push(req.headers.authorization ?? '');
        res.setHeader('x-request-id', 'test');
        res.setHeader('content-type', 'application/json');
        let body: { name?: unknown; count?: unknown } | undefined;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString()) as typeof body;
        } catch {
          res.statusCode = 400;
          return res.end(JSON.stringify({ error: { type: 'invalid_request_error', code: 'invalid_json', message: 'bad' } }));
        }
        if (body && typeof body === 'object' && body.count === 3) {
          res.setHeader('content-type', 'text/html');
          res.statusCode = 400;
          return res.end('<html>bad</html>');
        }
        if (body && typeof body === 'object' && typeof body.name === 'string' && body.name.includes('\u0000')) {
          res.statusCode = 500;
          return res.end(JSON.stringify({ error: { type: 'api_error', code: 'internal_error', message: `failed for key ${ADMIN_KEY}` } }));
        }
        res.statusCode = 201;
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const options = (seed: number, timeoutMs = 500) => ({
    baseUrl,
    credentials,
    seed,
    numRuns: 400,
    timeoutMs,
    timeLimitMs: 30_000,
    shrinkBudgetMs: 10_000,
    examples: [],
    allowances: [],
    stats: new FuzzStats(),
    redact: (text: string) => text.split(ADMIN_KEY).join('<secret>'),
  });
  const run = (seed: number) => fuzzOperation(create, requestArbitrary(create, { document: FIXTURE, dictionary: { ids: [], words: [], urls: [] } }), options(seed));

  it('finds each distinct failure, shrinks it to a small request and prints it without secrets', async () => {
    const result = await run(1);
    expect(result.failures.map((f) => f.problem).sort()).toEqual(['400 not JSON (content-type text/html)', 'answered 500 internal_error']);
    // one bug does not stop the fuzz: the runs go on, hitting the known problems again
    expect(result.repeats).toBeGreaterThan(0);
    expect(result.failures.find((f) => f.problem.startsWith('400'))!.request).toMatch(/"count":3/);
    const failure = result.failures.find((f) => f.problem.startsWith('answered 500'))!;
    expect(failure.request).toMatch(/^POST \/api\/v1\/things/);
    expect(failure.request).not.toContain(ADMIN_KEY);
    expect(failure.answer).not.toContain(ADMIN_KEY);
    // shrunk: the body is down to the name that breaks it
    expect(failure.request).toMatch(/body=\{"name":"[^"]*\\u0000[^"]*"/);
    expect(failure.request.length).toBeLessThan(200);
    expect(seen.some((auth) => auth === `Bearer ${ADMIN_KEY}`)).toBe(true);
    expect(result.runs).toBeGreaterThan(1);
  }, 60_000);

  it('replays a failure from its round and path to the same request', async () => {
    const first = await run(2);
    expect(first.failures.length).toBeGreaterThan(0);
    for (const failure of first.failures) {
      const replayed = await fuzzOperation(create, requestArbitrary(create, { document: FIXTURE, dictionary: { ids: [], words: [], urls: [] } }), {
        ...options(2),
        replay: { round: failure.round, path: failure.path! },
      });
      expect(replayed.failures.map((f) => [f.problem, f.request])).toEqual([[failure.problem, failure.request]]);
      // the failing request, then fast-check's check that nothing smaller fails
      expect(replayed.runs).toBeLessThan(30);
    }
  }, 60_000);

  it('reports a hang as no answer in time', async () => {
    const outcome = await send(baseUrl, { method: 'POST', path: '/hang', headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') }, 300);
    expect(outcome.timedOut).toBe(true);
    expect(judge(create, outcome, 300)).toBe('no answer within 300 ms');
  });

  it('describes a request with the credential by name', () => {
    const text = describeRequest(create, { credential: 'admin', path: {}, query: 'a=1', headers: { 'x-request-id': 'abc' }, body: { kind: 'huge', bytes: 2_097_153, shape: 'string-field', field: 'name', base: {} } });
    expect(text).toBe('POST /api/v1/things?a=1 as admin [x-request-id: "abc", content-type: "application/json"] body=<2097153 bytes, string-field in "name">');
  });
});

describe('shorten', () => {
  it('writes long runs of a character or a short unit as a count, then cuts', () => {
    expect(shorten(`{"a":${'['.repeat(100_000)}`)).toBe('{"a":[×100000');
    expect(shorten(`/api/v1/jobs/${'%F0%9F%98%80'.repeat(1000)}`)).toBe('/api/v1/jobs/(%F0%9F%98%80)×1000');
    expect(shorten('x'.repeat(10) + 'y'.repeat(3))).toBe('xxxxxxxxxxyyy');
    expect(shorten('ab'.repeat(200) + 'c').length).toBeLessThan(20);
  });
});
