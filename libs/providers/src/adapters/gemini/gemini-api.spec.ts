import { geminiAdapter, GEMINI_API, geminiMethodPath, geminiModelIds, geminiProbe } from './index';

describe('Gemini description', () => {
  it('probes GET /v1beta/models with the key in x-goog-api-key', () => {
    expect(geminiProbe({ apiKey: 'AIza-k' })).toEqual({ method: 'GET', path: '/v1beta/models', query: { pageSize: '1000' }, headers: { 'x-goog-api-key': 'AIza-k' } });
    expect(GEMINI_API.defaultBaseUrl).toBe('https://generativelanguage.googleapis.com');
  });

  it('lists model ids without the models/ prefix', () => {
    const body = { models: [{ name: 'models/gemini-2.5-flash', supportedGenerationMethods: ['generateContent'] }, { name: 'models/gemini-embedding-001' }, { displayName: 'no name' }] };
    expect(geminiModelIds(body)).toEqual(['gemini-2.5-flash', 'gemini-embedding-001']);
    expect(geminiModelIds({})).toEqual([]);
    expect(geminiModelIds(null)).toEqual([]);
  });

  it('escapes the model in the path', () => {
    expect(geminiMethodPath('tunedModels/a b', 'countTokens')).toBe('/v1beta/models/tunedModels%2Fa%20b:countTokens');
  });

  it('is a ChatAdapter', () => {
    expect(Object.keys(geminiAdapter).sort()).toEqual(['chatRequest', 'chatResponse', 'chatStream']);
  });
});
