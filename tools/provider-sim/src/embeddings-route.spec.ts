import OpenAI, { APIError } from 'openai';
import { ProviderSim, startProviderSim } from './index';
import { embeddingVector } from './embeddings';
import { simForSuite } from './sim-suite.spec-helper';

describe('provider-sim POST /v1/embeddings with the official openai SDK', () => {
  let sim: ProviderSim;
  let openai: OpenAI;

  simForSuite({ name: 'sim-embeddings' }, (started) => {
    sim = started;
    openai = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: 'x', maxRetries: 0, timeout: 5_000 });
  });

  it('serves text-embedding-3-small by default, in floats when asked', async () => {
    const answer = await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'hello world', encoding_format: 'float' });
    expect(answer).toMatchObject({ object: 'list', model: 'text-embedding-3-small', usage: { prompt_tokens: 2, total_tokens: 2 } });
    expect(answer.data[0].embedding).toEqual(embeddingVector('text-embedding-3-small', 'hello world', 1536));
  });

  it("answers base64 to the SDK's default request, which the SDK decodes to the same floats", async () => {
    const answer = await openai.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b c'], dimensions: 16 });
    expect(JSON.parse(sim.requests().at(-1)!.body)).toMatchObject({ encoding_format: 'base64' });
    expect(answer.data.map((d) => d.embedding)).toEqual([embeddingVector('text-embedding-3-small', 'a', 16), embeddingVector('text-embedding-3-small', 'b c', 16)]);
    expect(answer.usage.total_tokens).toBe(3);
  });

  it('applies faults and the API key check like chat', async () => {
    sim.setFault({ mode: 'error503', count: 1 });
    await expect(openai.embeddings.create({ model: 'text-embedding-3-small', input: 'x' })).rejects.toMatchObject({ status: 503 });
    await expect(openai.embeddings.create({ model: 'text-embedding-3-small', input: 'x' })).resolves.toMatchObject({ object: 'list' });
    const keyed = await startProviderSim({ apiKey: 'secret' });
    try {
      const wrong = new OpenAI({ baseURL: `${keyed.url}/v1`, apiKey: 'nope', maxRetries: 0 });
      await expect(wrong.embeddings.create({ model: 'text-embedding-3-small', input: 'x' })).rejects.toMatchObject({ status: 401 });
    } finally {
      await keyed.close();
    }
  });

  it('answers bad input with OpenAI-shaped 400s and an unknown model with 404', async () => {
    const error = await openai.embeddings.create({ model: 'text-embedding-3-small', input: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 400, param: 'input', type: 'invalid_request_error' });
    await expect(openai.embeddings.create({ model: 'nope', input: 'x' })).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });
});

describe('provider-sim with embeddingsBase64: false', () => {
  it('answers floats to a base64 request, as a server that cannot encode does', async () => {
    const sim = await startProviderSim({ embeddingsBase64: false });
    try {
      const response = await fetch(`${sim.url}/v1/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'text-embedding-3-small', input: 'x', encoding_format: 'base64', dimensions: 2 }),
      });
      const body = (await response.json()) as { data: { embedding: unknown }[] };
      expect(body.data[0].embedding).toEqual(embeddingVector('text-embedding-3-small', 'x', 2));
    } finally {
      await sim.close();
    }
  });
});
