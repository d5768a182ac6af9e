import express from 'express';
import request from 'supertest';
import { isUnder, jsonParserFor } from './body-limits';
import { rawBodyOf } from './raw-body';

/** what bootstrap does: each request parsed by the parser its path gets, then echoed */
function appWith(defaultLimit: string, limits: { paths: string[]; limit: number | string; keepRaw?: boolean }[]) {
  const app = express();
  const parserFor = jsonParserFor(defaultLimit, limits);
  app.use((req, res, next) => parserFor(req.path)(req, res, next));
  app.use((error: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => res.status(error.status ?? 500).end());
  app.use((req, res) => res.json({ bytes: JSON.stringify(req.body).length, raw: rawBodyOf(req)?.toString() ?? null }));
  return app;
}

const bodyOf = (bytes: number) => ({ a: 'x'.repeat(bytes - 8) });

describe('body limits per route', () => {
  it('counts a path as under a route when it is the route or below it', () => {
    expect(isUnder('/api/v1/webhooks', '/api/v1/webhooks')).toBe(true);
    expect(isUnder('/api/v1/webhooks/3f1c/deliveries', '/api/v1/webhooks')).toBe(true);
    expect(isUnder('/api/v1/webhooksX', '/api/v1/webhooks')).toBe(false);
    expect(isUnder('/api/v1/web', '/api/v1/webhooks')).toBe(false);
  });

  it('gives the routes named their own limit, larger or smaller, and the rest the default', async () => {
    const app = appWith('1kb', [
      { paths: ['/chat'], limit: 4096 },
      { paths: ['/hooks'], limit: '100b' },
    ]);
    expect((await request(app).post('/chat').send(bodyOf(3000))).status).toBe(200);
    expect((await request(app).post('/other').send(bodyOf(3000))).status).toBe(413);
    expect((await request(app).post('/other').send(bodyOf(500))).status).toBe(200);
    expect((await request(app).post('/hooks/1/redeliver').send(bodyOf(500))).status).toBe(413);
    expect((await request(app).post('/hooks').send(bodyOf(50))).status).toBe(200);
  });

  it('keeps the bytes as sent only on the routes that ask for them', async () => {
    const app = appWith('1kb', [{ paths: ['/forward'], limit: '1kb', keepRaw: true }]);
    const sent = '{ "a" : 1 }';
    expect((await request(app).post('/forward').set('content-type', 'application/json').send(sent)).body.raw).toBe(sent);
    expect((await request(app).post('/other').set('content-type', 'application/json').send(sent)).body.raw).toBeNull();
  });
});
