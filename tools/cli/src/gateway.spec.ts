import { CliError, describeApiError, readCliConfig } from './gateway';

describe('readCliConfig', () => {
  it('requires ISH_API_KEY with a message that names it', () => {
    expect(() => readCliConfig({})).toThrow(CliError);
    expect(() => readCliConfig({ ISH_API_KEY: ' ' })).toThrow(/ISH_API_KEY is not set/);
  });

  it('defaults the gateway to 127.0.0.1:8080 and drops a trailing slash', () => {
    expect(readCliConfig({ ISH_API_KEY: 'ish_x' })).toEqual({ apiKey: 'ish_x', gatewayUrl: 'http://127.0.0.1:8080' });
    expect(readCliConfig({ ISH_API_KEY: 'ish_x', ISH_GATEWAY_URL: 'https://ish.example.com/' }).gatewayUrl).toBe('https://ish.example.com');
  });
});

describe('describeApiError', () => {
  it('makes one line of an API.md error body', () => {
    expect(describeApiError(401, { error: { type: 'authentication_error', code: 'invalid_api_key', message: 'Invalid API key' } })).toBe('401 authentication_error (invalid_api_key): Invalid API key');
  });

  it('omits a code equal to the type, and a missing status', () => {
    expect(describeApiError(0, { error: { type: 'upstream_error', code: 'upstream_error', message: 'down' } })).toBe('upstream_error: down');
  });

  it('shows the start of a body that is not the API shape', () => {
    expect(describeApiError(502, '<html>Bad Gateway</html>')).toBe('502 <html>Bad Gateway</html>');
    expect(describeApiError(502, undefined)).toBe('502 error without a body');
  });
});
