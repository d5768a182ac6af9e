import { ProviderConfigError } from '../../provider-specs';
import { classifyUpstreamError } from '../../classify-upstream-error';
import { anthropicAdapter } from './index';
import {
  ANTHROPIC_PARAMETERS,
  ANTHROPIC_API,
  anthropicCountTokensCall,
  anthropicHeaders,
  anthropicModelsCall,
  anthropicProbe,
  anthropicVersionOf,
  parseAnthropicModels,
} from './anthropic-spec';
import { ANTHROPIC_ERROR_TYPES, mapAnthropicError } from './anthropic-errors';

describe('the Anthropic provider description', () => {
  it('defaults to api.anthropic.com and names the endpoints', () => {
    expect(ANTHROPIC_API).toMatchObject({
      defaultBaseUrl: 'https://api.anthropic.com',
      currentVersion: '2026-10-21',
      endpoints: { messages: '/v1/messages', models: '/v1/models', countTokens: '/v1/messages/count_tokens' },
      requiresApiKey: true,
    });
  });

  it('speaks the current version when the instance names none, and refuses one it does not know', () => {
    expect(anthropicVersionOf({})).toBe('2026-10-21');
    expect(anthropicVersionOf({ anthropicVersion: '2023-06-01' })).toBe('2023-06-01');
    expect(() => anthropicVersionOf({ anthropicVersion: '2024-01-01' })).toThrow(ProviderConfigError);
  });

  it('authenticates per version: Bearer on 2026-10-21, x-api-key on 2023-06-01', () => {
    expect(anthropicHeaders({ apiKey: 'k' })).toEqual({ authorization: 'Bearer k', 'anthropic-version': '2026-10-21' });
    expect(anthropicHeaders({ apiKey: 'k', anthropicVersion: '2023-06-01', anthropicBeta: 'b1,b2' })).toEqual({
      'x-api-key': 'k',
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'b1,b2',
    });
    expect(() => anthropicHeaders({})).toThrow(ProviderConfigError);
  });

  it('probes with GET /v1/models and the instance headers', () => {
    expect(anthropicProbe({ apiKey: 'k', anthropicVersion: '2023-06-01' })).toEqual({
      method: 'GET',
      path: '/v1/models',
      query: { limit: '1' },
      headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
    });
  });

  it('counts tokens of a mapped request with only the fields count_tokens takes', () => {
    const settings = { model: 'claude-sonnet-5-5', apiKey: 'k' };
    const { call } = anthropicAdapter.chatRequest(
      { model: 'x', messages: [{ role: 'system', content: 'S' }, { role: 'user', content: 'Hi' }], stop: 'E', user: 'u', stream: true },
      settings,
    );
    expect(anthropicCountTokensCall(call.body as Record<string, unknown>, settings)).toEqual({
      method: 'POST',
      path: '/v1/messages/count_tokens',
      headers: { authorization: 'Bearer k', 'anthropic-version': '2026-10-21' },
      body: { model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: 'Hi' }], system: 'S' },
    });
  });

  it('lists temperature and top_p as mapped on 2023-06-01 and unsupported on 2026-10-21', () => {
    expect(ANTHROPIC_PARAMETERS.temperature.support).toEqual({ '2023-06-01': 'mapped', '2026-10-21': 'unsupported' });
    expect(ANTHROPIC_PARAMETERS.logit_bias.support).toBe('unsupported');
    expect(ANTHROPIC_PARAMETERS.tools.support).toBe('mapped');
  });
});

describe('Anthropic errors', () => {
  it.each([
    ['invalid_request_error', 400, 'invalid_request_error', 'invalid_request', 'client_error'],
    ['authentication_error', 401, 'authentication_error', 'invalid_credential', 'client_error'],
    ['billing_error', 402, 'permission_error', 'payment_required', 'client_error'],
    ['permission_error', 403, 'permission_error', 'forbidden', 'client_error'],
    ['not_found_error', 404, 'not_found_error', 'not_found', 'client_error'],
    ['request_too_large', 413, 'invalid_request_error', 'payload_too_large', 'client_error'],
    ['rate_limit_error', 429, 'rate_limit_error', 'rate_limited', 'rate_limited'],
    ['api_error', 500, 'upstream_error', 'internal_error', 'retryable'],
    ['timeout_error', 504, 'upstream_error', 'gateway_timeout', 'retryable'],
    ['overloaded_error', 529, 'upstream_error', 'overloaded', 'retryable'],
  ])('%s → %i, our %s %s, which failover treats as %s', (anthropicType, status, type, code, kind) => {
    expect(ANTHROPIC_ERROR_TYPES[anthropicType as keyof typeof ANTHROPIC_ERROR_TYPES]).toEqual({ status, type, code });
    const error = mapAnthropicError(undefined, { type: 'error', error: { type: anthropicType, message: 'm' }, request_id: 'req_1' });
    expect(error).toMatchObject({ status, type, code, message: 'm', error: { type: anthropicType, message: 'm' }, requestId: 'req_1' });
    expect(classifyUpstreamError(error).kind).toBe(kind);
  });

  it('keeps the HTTP status it was answered with and prefers the detail error_code', () => {
    const error = mapAnthropicError(400, { type: 'error', error: { type: 'invalid_request_error', message: 'too big', details: { error_code: 'image_dimensions_too_large' } } });
    expect(error).toMatchObject({ status: 400, code: 'image_dimensions_too_large' });
  });

  it('reads a body that is not Anthropic’s shape by its status', () => {
    expect(mapAnthropicError(502, '<html>bad gateway</html>')).toMatchObject({ status: 502, type: 'upstream_error', code: 'internal_error', message: 'Anthropic answered 502: <html>bad gateway</html>' });
  });
});

describe('Anthropic model pages', () => {
  it('asks for a page after a cursor and reads the ids and the next cursor', () => {
    expect(anthropicModelsCall({ apiKey: 'k' }, 'claude-a')).toEqual({
      method: 'GET',
      path: '/v1/models',
      query: { limit: '1000', after_id: 'claude-a' },
      headers: { authorization: 'Bearer k', 'anthropic-version': '2026-10-21' },
    });
    expect(parseAnthropicModels({ data: [{ id: 'a' }, { id: 'b' }], has_more: true, first_id: 'a', last_id: 'b' })).toEqual({ ids: ['a', 'b'], nextAfterId: 'b' });
    expect(parseAnthropicModels({ data: [{ id: 'c' }], has_more: false, last_id: 'c' })).toEqual({ ids: ['c'] });
    expect(parseAnthropicModels('nonsense')).toEqual({ ids: [] });
  });
});
