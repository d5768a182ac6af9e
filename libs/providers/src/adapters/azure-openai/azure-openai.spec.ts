import type { AdapterSettings, OpenAIChatRequest } from '../adapter-types';
import { UnsupportedParameterError } from '../unsupported-parameter';
import { azureOpenAIAdapter, azureOpenAIEmbeddingsRequest, azureOpenAIProbe, AZURE_OPENAI_API } from './index';

const REQUEST = {
  model: 'gpt-4o',
  messages: [{ role: 'user', content: 'Hi' }],
  temperature: 0.2,
  tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
  some_new_openai_parameter: { on: true },
} as OpenAIChatRequest;

const V1: AdapterSettings = { model: 'gpt-4o', apiKey: 'azure-key', deployments: { 'gpt-4o': 'prod-gpt4o' } };
const DATED: AdapterSettings = { ...V1, apiVersion: '2024-10-21' };

describe('azureOpenAIAdapter.chatRequest', () => {
  it('speaks the v1 API by default: /openai/v1/chat/completions, the deployment as model, the key in api-key', () => {
    const { call, dropped } = azureOpenAIAdapter.chatRequest(REQUEST, V1);
    expect(call).toEqual({
      method: 'POST',
      path: '/openai/v1/chat/completions',
      headers: { 'api-key': 'azure-key' },
      body: { ...REQUEST, model: 'prod-gpt4o' },
    });
    expect(dropped).toEqual([]);
    expect(AZURE_OPENAI_API.defaultApiVersion).toBe('v1');
  });

  it('uses the deployments form with a dated api-version, without model in the body', () => {
    const { call } = azureOpenAIAdapter.chatRequest({ ...REQUEST, stream: true, stream_options: { include_usage: true } }, DATED);
    const { model: _model, ...rest } = REQUEST;
    expect(call).toEqual({
      method: 'POST',
      path: '/openai/deployments/prod-gpt4o/chat/completions',
      query: { 'api-version': '2024-10-21' },
      headers: { 'api-key': 'azure-key' },
      body: { ...rest, stream: true, stream_options: { include_usage: true } },
      stream: true,
    });
  });

  it('takes a deployment named like the model when none is mapped, and v1 preview features', () => {
    const { call } = azureOpenAIAdapter.chatRequest(REQUEST, { model: 'gpt-4o-mini', apiKey: 'k', apiVersion: 'preview' });
    expect(call).toMatchObject({ path: '/openai/v1/chat/completions', query: { 'api-version': 'preview' }, body: { model: 'gpt-4o-mini' } });
    const dated = azureOpenAIAdapter.chatRequest(REQUEST, { model: 'gpt 4o', apiVersion: '2025-04-01-preview' });
    expect(dated.call.path).toBe('/openai/deployments/gpt%204o/chat/completions');
    expect(dated.call.headers).toEqual({});
  });

  it('refuses web_search_options (dropped with drop_params) and never forwards drop_params', () => {
    expect(() => azureOpenAIAdapter.chatRequest({ ...REQUEST, web_search_options: {} }, V1)).toThrow(UnsupportedParameterError);
    const { call, dropped } = azureOpenAIAdapter.chatRequest({ ...REQUEST, web_search_options: {}, drop_params: true }, { ...V1, dropParams: true });
    expect(dropped).toEqual(['web_search_options']);
    expect(call.body).not.toHaveProperty('web_search_options');
    expect(call.body).not.toHaveProperty('drop_params');
  });
});

describe('azureOpenAIAdapter answers', () => {
  it('passes the OpenAI answer through', () => {
    const body = { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o-2024-11-20', choices: [], prompt_filter_results: [] };
    expect(azureOpenAIAdapter.chatResponse(body, V1)).toBe(body);
  });

  it('streams OpenAI chunks, skipping the prompt-filter chunk without choices and [DONE], keeping the usage chunk', () => {
    const translator = azureOpenAIAdapter.chatStream(V1);
    const filterOnly = { id: '', object: '', created: 0, model: '', choices: [], prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }] };
    const content = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }] };
    const usage = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
    const out = [filterOnly, content, usage].flatMap((event) => translator.push({ data: JSON.stringify(event) }));
    expect(out).toEqual([content, usage]);
    expect(translator.push({ data: '[DONE]' })).toEqual([]);
    expect(translator.end()).toEqual([]);
    expect(() => translator.push({ data: '{"error":{"message":"boom"}}' })).toThrow('boom');
    expect(() => translator.push({ data: 'nope' })).toThrow('not JSON');
  });
});

describe('Azure OpenAI embeddings and probe', () => {
  it('posts embeddings in either form', () => {
    const request = { model: 'text-embedding-3-small', input: ['a'], dimensions: 8 };
    expect(azureOpenAIEmbeddingsRequest(request, { model: 'text-embedding-3-small', apiKey: 'k' }).call).toEqual({
      method: 'POST',
      path: '/openai/v1/embeddings',
      headers: { 'api-key': 'k' },
      body: request,
    });
    expect(azureOpenAIEmbeddingsRequest(request, { model: 'text-embedding-3-small', apiKey: 'k', apiVersion: '2024-10-21', deployments: { 'text-embedding-3-small': 'emb' } }).call).toEqual({
      method: 'POST',
      path: '/openai/deployments/emb/embeddings',
      query: { 'api-version': '2024-10-21' },
      headers: { 'api-key': 'k' },
      body: { input: ['a'], dimensions: 8 },
    });
  });

  it('probes the models list with the api-key', () => {
    expect(azureOpenAIProbe({ apiKey: 'k' })).toEqual({ method: 'GET', path: '/openai/v1/models', headers: { 'api-key': 'k' } });
    expect(azureOpenAIProbe({ apiKey: 'k', apiVersion: 'preview' })).toEqual({ method: 'GET', path: '/openai/v1/models', query: { 'api-version': 'preview' }, headers: { 'api-key': 'k' } });
    expect(azureOpenAIProbe({ apiKey: 'k', apiVersion: '2024-10-21' })).toEqual({ method: 'GET', path: '/openai/models', query: { 'api-version': '2024-10-21' }, headers: { 'api-key': 'k' } });
  });
});
