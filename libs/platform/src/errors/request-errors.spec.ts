import { Logger } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import request from 'supertest';
import { request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { writeError } from './exception.filter';
import { requestError } from './request-errors';
import { toErrorResponse } from './to-error-response';

describe('requestError', () => {
  // the real thing: express's router and body-parser, answered by the error middleware every app installs
  const app = express();
  app.use(express.json());
  app.get('/things/:id', (req: Request, res: Response) => res.json({ id: req.params.id }));
  app.post('/things', (req: Request, res: Response) => res.json(req.body));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => writeError(res, error, new Logger('test')));
  let server: Server;
  beforeAll(() => new Promise<void>((resolve) => (server = app.listen(0, '127.0.0.1', () => resolve()))));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** the body's bytes exactly as given (supertest would JSON-encode a Buffer) */
  const post = (encoding: string, body: Buffer) =>
    new Promise<{ status: number; body: { error?: { code: string } } & Record<string, unknown> }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: (server.address() as AddressInfo).port, method: 'POST', path: '/things', headers: { 'content-type': 'application/json', 'content-encoding': encoding } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  it('answers a path parameter that is not UTF-8 with 400 invalid_path', async () => {
    const response = await request(app).get('/things/%E0%A4');
    expect([response.status, response.body.error]).toEqual([400, { type: 'invalid_request_error', code: 'invalid_path', message: 'The request path is not valid percent-encoded UTF-8' }]);
    expect((await request(app).get('/things/%C3%A9')).body).toEqual({ id: 'é' });
  });

  it.each([
    ['gzip', Buffer.from('not gzip at all')],
    ['deflate', Buffer.from('not deflate')],
    ['br', Buffer.from('{}')],
    ['gzip', gzipSync(Buffer.from('{"a":1}')).subarray(0, 12)],
  ])('answers a body that is not valid %s with 400 invalid_content_encoding', async (encoding, body) => {
    const response = await post(encoding, body);
    expect([response.status, response.body.error?.code]).toEqual([400, 'invalid_content_encoding']);
  });

  it('still decodes a body that is what its encoding says', async () => {
    const response = await post('gzip', gzipSync(Buffer.from('{"a":1}')));
    expect([response.status, response.body]).toEqual([200, { a: 1 }]);
  });

  it('leaves errors that are not about the request alone', () => {
    // an upstream SDK error has a status too, but is no http-error: ours to explain, not the client's fault
    expect(requestError(Object.assign(new Error('Incorrect API key provided'), { status: 401 }))).toBeUndefined();
    expect(requestError(Object.assign(new Error('boom'), { status: 500, expose: false }))).toBeUndefined();
    expect(toErrorResponse(Object.assign(new Error('Incorrect API key provided'), { status: 401 })).status).toBe(500);
    expect(requestError(Object.assign(new Error('secret detail'), { status: 400, expose: false }))).toEqual({ status: 400, code: 'invalid_request', message: 'The request could not be read' });
  });
});
