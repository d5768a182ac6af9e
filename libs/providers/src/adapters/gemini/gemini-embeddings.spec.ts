import { UnsupportedParameterError } from '../unsupported-parameter';
import { geminiEmbeddings } from './gemini-embeddings';
import { GeminiInvalidRequestError } from './gemini-errors';

const SETTINGS = { model: 'gemini-embedding-001', apiKey: 'k' };

describe('geminiEmbeddings.request', () => {
  it('sends every input as one batchEmbedContents request, dimensions as outputDimensionality', () => {
    const { call, dropped } = geminiEmbeddings.request({ model: 'x', input: ['one', 'two'], dimensions: 256, encoding_format: 'base64', user: 'u' }, SETTINGS);
    expect(call).toEqual({
      method: 'POST',
      path: '/v1beta/models/gemini-embedding-001:batchEmbedContents',
      headers: { 'x-goog-api-key': 'k' },
      body: {
        requests: [
          { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'one' }] }, outputDimensionality: 256 },
          { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'two' }] }, outputDimensionality: 256 },
        ],
      },
    });
    expect(dropped).toEqual([]);
  });

  it('takes a single string', () => {
    const { call } = geminiEmbeddings.request({ model: 'x', input: 'hello' }, SETTINGS);
    expect(call.body).toEqual({ requests: [{ model: 'models/gemini-embedding-001', content: { parts: [{ text: 'hello' }] } }] });
  });

  it('refuses token arrays and unknown parameters (dropped with drop_params), and empty input', () => {
    expect(() => geminiEmbeddings.request({ model: 'x', input: [1, 2, 3] }, SETTINGS)).toThrow(UnsupportedParameterError);
    expect(() => geminiEmbeddings.request({ model: 'x', input: [] }, SETTINGS)).toThrow(GeminiInvalidRequestError);
    expect(() => geminiEmbeddings.request({ model: 'x', input: 'a', task: 'q' } as never, SETTINGS)).toThrow(expect.objectContaining({ param: 'task' }));
    expect(geminiEmbeddings.request({ model: 'x', input: 'a', task: 'q' } as never, { ...SETTINGS, dropParams: true }).dropped).toEqual(['task']);
  });
});

describe('geminiEmbeddings.response', () => {
  const body = { embeddings: [{ values: [0.5, -1] }, { values: [0.25] }] };

  it("answers OpenAI's list shape with float vectors", () => {
    expect(geminiEmbeddings.response(body, SETTINGS)).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.5, -1] },
        { object: 'embedding', index: 1, embedding: [0.25] },
      ],
      model: 'gemini-embedding-001',
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  });

  it('encodes base64 as little-endian float32, as OpenAI does, and takes usage when Gemini sends it', () => {
    const answer = geminiEmbeddings.response({ ...body, usageMetadata: { promptTokenCount: 4 } }, SETTINGS, 'base64');
    const decoded = Buffer.from(answer.data[0].embedding as unknown as string, 'base64');
    expect([decoded.readFloatLE(0), decoded.readFloatLE(4)]).toEqual([0.5, -1]);
    expect(answer.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
  });
});
