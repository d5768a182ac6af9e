import express from 'express';
import request from 'supertest';
import { sendJson } from './send-json';

describe('sendJson', () => {
  it('answers what express res.status().json() answers: status, JSON body, UTF-8 content type and byte length', async () => {
    const body = { id: 'chatcmpl-1', text: 'héllo ✓ 🙂', n: [1, 2.5, null], nested: { ok: true } };
    const app = express();
    app.set('etag', false);
    app.post('/express', (_req, res) => res.status(201).json(body));
    app.post('/ours', (_req, res) => sendJson(res, 201, body));
    const [theirs, ours] = await Promise.all([request(app).post('/express'), request(app).post('/ours')]);
    expect(ours.status).toBe(201);
    expect(ours.text).toBe(theirs.text);
    expect(ours.body).toEqual(body);
    for (const header of ['content-type', 'content-length']) expect(ours.headers[header]).toBe(theirs.headers[header]);
    expect(Number(ours.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify(body)));
  });

  it('keeps the headers set before it (the served instance, the rate limit)', async () => {
    const app = express();
    app.post('/ours', (_req, res) => {
      res.setHeader('x-ish-instance', 'i-1');
      sendJson(res, 200, { ok: true });
    });
    const answer = await request(app).post('/ours');
    expect(answer.headers['x-ish-instance']).toBe('i-1');
    expect(answer.body).toEqual({ ok: true });
  });
});
