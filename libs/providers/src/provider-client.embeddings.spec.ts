import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderClient } from './provider-client';

describe('ProviderClient.embeddings', () => {
  let server: http.Server;
  let client: ProviderClient;
  const seen: { url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  let answer: { status: number; body: string };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        seen.push({ url: req.url!, headers: req.headers, body });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new ProviderClient({ providerType: 'openai', apiKey: 'sk-test', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` });
  });

  afterAll(async () => {
    client.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('posts the request as given to /embeddings with the key, and returns the JSON answer', async () => {
    answer = { status: 200, body: JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: 'AAAAPw==' }] }) };
    const body = { model: 'text-embedding-3-small', input: ['a'], encoding_format: 'base64' as const, dimensions: 1 };
    await expect(client.embeddings(body)).resolves.toEqual(JSON.parse(answer.body));
    const request = seen.at(-1)!;
    expect(request.url).toBe('/v1/embeddings');
    expect(request.headers.authorization).toBe('Bearer sk-test');
    expect(JSON.parse(request.body)).toEqual(body);
  });

  it('throws an error answer as ProviderHttpError with its status and message', async () => {
    answer = { status: 400, body: JSON.stringify({ error: { message: 'This model does not support specifying dimensions.', code: 'invalid_value' } }) };
    await expect(client.embeddings({ model: 'text-embedding-ada-002', input: 'a', dimensions: 8 })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_value',
      message: 'This model does not support specifying dimensions.',
    });
  });
});
