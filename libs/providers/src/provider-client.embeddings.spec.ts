import { ProviderClient } from './provider-client';
import { serveUpstream, type SeenRequest, type Upstream } from './upstream-server.spec-helper';

describe('ProviderClient.embeddings', () => {
  let server: Upstream;
  let client: ProviderClient;
  let seen: SeenRequest[];
  let answer: { status: number; body: string };

  beforeAll(async () => {
    server = await serveUpstream((_req, res) => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body), '/v1');
    seen = server.seen;
    client = new ProviderClient({ providerType: 'openai', apiKey: 'sk-test', baseUrl: server.url });
  });

  afterAll(async () => {
    client.close();
    await server.close();
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
