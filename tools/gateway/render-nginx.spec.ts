import { readFileSync } from 'node:fs';
import { renderGatewayConfig, renderTemplate, TEMPLATE_PATH, upstreamsFromEnv } from './render-nginx';

describe('renderGatewayConfig', () => {
  it('fills every variable of the shipped template', () => {
    const config = renderGatewayConfig(upstreamsFromEnv({ RELAY_UPSTREAMS: '127.0.0.1:8002,127.0.0.1:8012', GATEWAY_PORT: '18080' }));
    expect(config).not.toMatch(/\$\{[A-Z_]+\}/);
    expect(config).toContain('listen 127.0.0.1:18080;');
    expect(config).toContain('server 127.0.0.1:8002 max_fails=1 fail_timeout=2s; server 127.0.0.1:8012 max_fails=1 fail_timeout=2s;');
    expect(config).toContain('$ish_request_id');
  });

  it('refuses to leave a variable unfilled', () => {
    expect(() => renderTemplate('listen ${GATEWAY_LISTEN};', {})).toThrow('GATEWAY_LISTEN');
  });

  it('routes every service prefix of API.md', () => {
    const template = readFileSync(TEMPLATE_PATH, 'utf8');
    for (const path of ['/api/v1/auth/', '/api/v1/admin/', '/api/v1/webhooks', '/api/v1/relay', '/api/v1/chat/completions', '/api/v1/models', '/api/v1/jobs', '/api/v1/conversations', '/api/v1/events', '/api/v1/instances', '/api/v1/routing', '/api/v1/android/', '/api/v1/health', '/api/v1/openapi.json', '/api/v1/docs']) {
      expect(template).toContain(path);
    }
  });
});
