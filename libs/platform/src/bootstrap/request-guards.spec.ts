import { Logger } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import request from 'supertest';
import { IsEmail } from 'class-validator';
import { writeError } from '../errors/exception.filter';
import { createValidationPipe } from '../errors/validation';
import fc from 'fast-check';
import { guardRequestInput, inputProblem, MAX_JSON_DEPTH, nestsDeeperThan, unsafeTextFields } from './request-guards';

const nested = (depth: number) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown;

describe('nestsDeeperThan', () => {
  it('counts objects and arrays, not scalars', () => {
    expect(nestsDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [{ b: [1] }] }, 3)).toBe(true);
    expect(nestsDeeperThan('x', 0)).toBe(false);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  });

  it('walks 100 000 levels without overflowing the stack', () => {
    expect(nestsDeeperThan({ message: nested(100_000) }, MAX_JSON_DEPTH)).toBe(true);
  });
});

describe('unsafeTextFields', () => {
  it('names the fields holding NUL or an unpaired surrogate, in keys too', () => {
    expect(unsafeTextFields({ email: '\udc00', name: 'ok 😀', messages: [{ content: 'a\u0000b' }], meta: { '\ud800': 1 } })).toEqual(['email', 'messages.0.content', 'meta."\\ud800"']);
    expect(unsafeTextFields('x\ud83d')).toEqual(['(body)']);
  });

  it('lets any well-formed text through: emoji, RTL, combining marks, other control characters', () => {
    expect(unsafeTextFields({ a: '👩‍👩‍👧‍👦', b: 'שלום \u202e', c: 'e\u0301', d: '\u001b\t\r\n', e: '\ufffd\uffff\u{10ffff}' })).toEqual([]);
  });

  it('walks a large array of numbers and still finds the bad strings among them, in order', () => {
    const values: unknown[] = new Array(4_000_000).fill(0);
    values[5] = 'bad\u0000';
    values[3_999_999] = ['\ud800'];
    expect(unsafeTextFields(values)).toEqual(['5', '3999999.0']);
  });
});

class Login {
  @IsEmail() email: string;
}

describe('inputProblem (the one walk every request pays)', () => {
  const text = fc.oneof(fc.string(), fc.constantFrom('a\u0000b', '\ud800', 'x\udc00', '🙂', 'é', '__proto__'));
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  })).value;

  it('finds a problem exactly when the naming walks would refuse the body', () => {
    fc.assert(
      fc.property(json, fc.integer({ min: 1, max: 6 }), (value, maxDepth) => {
        const refused = nestsDeeperThan(value, maxDepth) || unsafeTextFields(value).length > 0;
        expect(inputProblem(value, maxDepth) !== null).toBe(refused);
      }),
      { numRuns: 3000 },
    );
  });

  it('names the kind of problem', () => {
    expect(inputProblem({ a: [{ b: 1 }] }, 2)).toBe('too_deep');
    expect(inputProblem({ messages: [{ content: 'a\u0000' }] }, 64)).toBe('unsafe_text');
    expect(inputProblem({ ['k\ud800']: 1 }, 64)).toBe('unsafe_text');
    expect(inputProblem({ model: 'm', messages: [{ role: 'user', content: 'hi 🙂' }] }, 64)).toBeNull();
  });
});

describe('guardRequestInput', () => {
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.use(guardRequestInput());
  app.post('/echo', (req: Request, res: Response) => res.json({ ok: true, keys: Object.keys(req.body as object) }));
  app.get('/echo', (req: Request, res: Response) => res.json(req.query));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => writeError(res, error, new Logger('test')));

  it('answers a body nested past the limit with 400 too_deeply_nested', async () => {
    const response = await request(app).post('/echo').set('content-type', 'application/json').send(`{"message":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: { type: 'invalid_request_error', code: 'too_deeply_nested', message: expect.stringContaining(`${MAX_JSON_DEPTH} levels`) } });
  });

  it('answers NUL and unpaired surrogates (escaped in JSON, or in the query) with 400 validation_failed naming the field', async () => {
    const body = await request(app).post('/echo').set('content-type', 'application/json').send('{"email":"\\udc00","password":"x\\u0000"}');
    expect(body.status).toBe(400);
    expect(body.body.error).toMatchObject({ code: 'validation_failed', details: [{ field: 'email' }, { field: 'password' }] });
    const query = await request(app).get('/echo?serial=%00');
    expect([query.status, query.body.error.details]).toEqual([400, [{ field: 'serial', message: expect.stringContaining('NUL') }]]);
  });

  it('lets ordinary bodies through', async () => {
    const response = await request(app).post('/echo').send({ model: 'x', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi 😀' }] }] });
    expect([response.status, response.body]).toEqual([200, { ok: true, keys: ['model', 'messages'] }]);
  });

  it('is needed: the validators themselves throw on an unpaired surrogate (a 500 without the guard)', async () => {
    const thrown = await createValidationPipe()
      .transform({ email: '\udc00' }, { type: 'body', metatype: Login })
      .catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(URIError);
  });
});
