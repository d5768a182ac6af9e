import { SERVICE_NAMES } from '@ish/contracts';
import { appEnv, APP_PORTS, GATEWAY_URL, serviceUrl, testSecrets } from '@ish/test-support';

/** the one origin the test stack allows (CORS_ORIGINS in tests/support/env.ts) */
const ALLOWED = appEnv().CORS_ORIGINS;
const OTHER = 'https://evil.cors-test.example';

const corsHeaders = (response: Response) => [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));

describe('CORS through the gateway (CORS_ORIGINS)', () => {
  it('echoes an allowed origin in Access-Control-Allow-Origin, never * and never with credentials', async () => {
    const response = await fetch(`${GATEWAY_URL}/api/v1/models`, { headers: { origin: ALLOWED, authorization: `Bearer ${testSecrets().adminApiKey}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    // a page can read the rate-limit figures and the request id
    expect(response.headers.get('access-control-expose-headers')).toMatch(/X-RateLimit-Remaining/);
    expect(response.headers.get('access-control-expose-headers')).toMatch(/X-Request-Id/);
  });

  it('sends no CORS header to another origin, also on errors', async () => {
    const ok = await fetch(`${GATEWAY_URL}/api/v1/models`, { headers: { origin: OTHER, authorization: `Bearer ${testSecrets().adminApiKey}` } });
    expect(ok.status).toBe(200);
    expect(corsHeaders(ok)).toEqual([]);
    const refused = await fetch(`${GATEWAY_URL}/api/v1/models`, { headers: { origin: OTHER } });
    expect(refused.status).toBe(401);
    expect(corsHeaders(refused)).toEqual([]);
    // an allowed page can read the 401 it caused
    expect((await fetch(`${GATEWAY_URL}/api/v1/models`, { headers: { origin: ALLOWED } })).headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  it('answers the preflight of an allowed origin with 204 on every service, before authentication', async () => {
    const paths = ['/api/v1/auth/login', '/api/v1/chat/completions', '/api/v1/webhooks', '/api/v1/instances', '/api/v1/android/execute'];
    for (const path of paths) {
      const response = await fetch(`${GATEWAY_URL}${path}`, {
        method: 'OPTIONS',
        headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-api-key,anthropic-version,idempotency-key' },
      });
      expect(`${path} ${response.status}`).toBe(`${path} 204`);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(',');
      for (const header of ['authorization', 'content-type', 'x-api-key', 'anthropic-version', 'anthropic-beta', 'idempotency-key']) expect(allowed).toContain(header);
    }
  });

  it('gives the preflight of another origin no CORS answer', async () => {
    const response = await fetch(`${GATEWAY_URL}/api/v1/chat/completions`, { method: 'OPTIONS', headers: { origin: OTHER, 'access-control-request-method': 'POST' } });
    expect(response.status).not.toBe(204);
    expect(corsHeaders(response)).toEqual([]);
  });

  it('is the same on each app port: one implementation, in the shared bootstrap', async () => {
    for (const service of SERVICE_NAMES) {
      const response = await fetch(`${serviceUrl(service, APP_PORTS[service])}/health`, { headers: { origin: ALLOWED } });
      expect(`${service} ${response.headers.get('access-control-allow-origin')}`).toBe(`${service} ${ALLOWED}`);
    }
  });
});
