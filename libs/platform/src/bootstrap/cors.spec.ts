import { ExpressAdapter } from '@nestjs/platform-express';
import express from 'express';
import request from 'supertest';
import { ConfigError, loadConfig } from '../config/config';
import { PlatformConfig } from '../config/platform.config';
import { CORS_ALLOWED_HEADERS, corsOptions, corsOriginsProblem, parseCorsOrigins } from './cors';

const required = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  REDIS_URL: 'redis://localhost:6379',
  RABBITMQ_URL: 'amqp://u:p@localhost:5672',
};
const ALLOWED = 'https://console.example.com';

/** what bootstrap does (Nest's enableCors on the express adapter), then a route and a 404 */
function appWith(origins: string[]) {
  const app = express();
  const options = corsOptions(origins);
  if (options) new ExpressAdapter(app).enableCors(options);
  app.get('/api/v1/models', (_req, res) => res.json({ object: 'list' }));
  app.use((_req, res) => res.status(404).json({ error: { type: 'not_found_error' } }));
  return app;
}

describe('CORS_ORIGINS', () => {
  it('is empty by default: no origin allowed', () => {
    expect(loadConfig(PlatformConfig, required).CORS_ORIGINS).toBe('');
    expect(corsOptions(parseCorsOrigins(''))).toBeUndefined();
  });

  it('takes exact origins separated by commas', () => {
    const config = loadConfig(PlatformConfig, { ...required, CORS_ORIGINS: ' https://console.example.com, http://localhost:5173 ,https://[::1]:8443' });
    expect(parseCorsOrigins(config.CORS_ORIGINS)).toEqual(['https://console.example.com', 'http://localhost:5173', 'https://[::1]:8443']);
  });

  it.each([
    ['*', /wildcards are refused/],
    ['https://*.example.com', /wildcards are refused/],
    ['https://console.example.com/', /not an origin/],
    ['https://console.example.com/app', /not an origin/],
    ['console.example.com', /not an origin/],
    ['null', /not an origin/],
    ['file:///tmp', /not an origin/],
    ['HTTPS://Console.Example.com', /not an origin/],
  ])('refuses %s at start, naming the variable', (value, why) => {
    expect(() => loadConfig(PlatformConfig, { ...required, CORS_ORIGINS: `https://ok.example.com,${value}` })).toThrow(ConfigError);
    expect(corsOriginsProblem(value)).toMatch(why);
    try {
      loadConfig(PlatformConfig, { ...required, CORS_ORIGINS: value });
    } catch (error) {
      expect((error as Error).message).toMatch(/CORS_ORIGINS: CORS_ORIGINS must be exact origins/);
    }
  });
});

describe('corsOptions', () => {
  it('echoes an allowed origin, never *, and lets the page read our headers, without credentials', async () => {
    const response = await request(appWith([ALLOWED])).get('/api/v1/models').set('Origin', ALLOWED);
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    expect(response.headers['access-control-expose-headers']).toContain('X-RateLimit-Remaining');
    expect(response.headers.vary).toMatch(/Origin/);
  });

  it('answers a preflight from an allowed origin with 204, the methods and the headers the API takes', async () => {
    const response = await request(appWith([ALLOWED]))
      .options('/api/v1/chat/completions')
      .set('Origin', ALLOWED)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type, idempotency-key');
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(response.headers['access-control-allow-methods']).toBe('GET,HEAD,POST,PUT,PATCH,DELETE');
    const headers = response.headers['access-control-allow-headers'].toLowerCase().split(',');
    for (const name of ['authorization', 'x-api-key', 'content-type', 'idempotency-key', 'anthropic-version', 'anthropic-beta']) expect(headers).toContain(name);
    expect(headers).toHaveLength(CORS_ALLOWED_HEADERS.length);
    expect(response.headers['access-control-max-age']).toBe('600');
  });

  it('gives another origin no CORS header at all, and its preflight no 204', async () => {
    const app = appWith([ALLOWED]);
    const simple = await request(app).get('/api/v1/models').set('Origin', 'https://evil.example.com');
    expect(simple.status).toBe(200);
    expect(Object.keys(simple.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const preflight = await request(app).options('/api/v1/models').set('Origin', 'https://console.example.com.evil.example').set('Access-Control-Request-Method', 'DELETE');
    expect(preflight.status).toBe(404);
    expect(Object.keys(preflight.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('sends no CORS header to anyone when no origin is configured', async () => {
    const response = await request(appWith([])).get('/api/v1/models').set('Origin', ALLOWED);
    expect(Object.keys(response.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });
});
