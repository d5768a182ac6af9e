import express, { Request, Response } from 'express';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { accessLogMiddleware } from './logging';

type Line = { level: 'info' | 'warn' | 'error'; entry: { method: string; url: string; statusCode: number; responseTime: number }; msg: string };

function appLogging() {
  const lines: Line[] = [];
  const record = (level: Line['level']) => (entry: Line['entry'], msg: string) => void lines.push({ level, entry, msg });
  const app = express();
  app.use(accessLogMiddleware(() => ({ info: record('info'), warn: record('warn'), error: record('error') }) as never));
  app.get('/api/v1/models', (_req: Request, res: Response) => res.json([]));
  app.get('/boom', (_req: Request, res: Response) => res.status(503).json({}));
  app.get('/health', (_req: Request, res: Response) => res.json({ status: 'ok' }));
  app.get('/hang', () => undefined);
  return { app, lines };
}

describe('accessLogMiddleware', () => {
  it('logs one line per request with method, URL (query included), status and time; 5xx at error level', async () => {
    const { app, lines } = appLogging();
    await request(app).get('/api/v1/models?limit=2');
    await request(app).get('/boom');
    expect(lines).toEqual([
      { level: 'info', msg: 'request completed', entry: { method: 'GET', url: '/api/v1/models?limit=2', statusCode: 200, responseTime: expect.any(Number) } },
      { level: 'error', msg: 'request errored', entry: { method: 'GET', url: '/boom', statusCode: 503, responseTime: expect.any(Number) } },
    ]);
  });

  it('does not log health checks', async () => {
    const { app, lines } = appLogging();
    await request(app).get('/health');
    expect(lines).toEqual([]);
  });

  it('logs a request whose client left before the answer as aborted', async () => {
    const { app, lines } = appLogging();
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const controller = new AbortController();
    const pending = fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hang`, { signal: controller.signal }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await pending;
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.closeAllConnections();
    server.close();
    expect(lines).toEqual([{ level: 'warn', msg: 'request aborted', entry: expect.objectContaining({ method: 'GET', url: '/hang' }) }]);
  });
});
