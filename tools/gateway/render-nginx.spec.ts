import { readFileSync } from 'node:fs';
import { renderGatewayConfig, renderTemplate, TEMPLATE_PATH, upstreamsFromEnv, WEB_BUILD_DIR } from './render-nginx';

describe('renderGatewayConfig', () => {
  it('fills every variable of the shipped template', () => {
    const config = renderGatewayConfig(upstreamsFromEnv({ RELAY_UPSTREAMS: '127.0.0.1:8002,127.0.0.1:8012', GATEWAY_PORT: '18080' }));
    expect(config).not.toMatch(/\$\{[A-Z_]+\}/);
    expect(config).toContain('listen 127.0.0.1:18080;');
    expect(config).toContain('server 127.0.0.1:8002 max_fails=3 fail_timeout=5s; server 127.0.0.1:8012 max_fails=3 fail_timeout=5s;');
    expect(config).toContain('$ish_request_id');
  });

  it('serves the built console from WEB_ROOT, dist/web by default', () => {
    expect(renderGatewayConfig(upstreamsFromEnv({}))).toContain(`root ${WEB_BUILD_DIR};`);
    expect(WEB_BUILD_DIR).toMatch(/\/dist\/web$/);
    expect(renderGatewayConfig(upstreamsFromEnv({ WEB_ROOT: '/srv/ish-web/' }))).toContain('root /srv/ish-web;');
  });

  it('refuses a console directory nginx would misread', () => {
    for (const webRoot of ['dist/web', '/srv/my web', '/srv/$x', '/srv/a;b', '/srv/"q"']) {
      expect(() => renderGatewayConfig({ ...upstreamsFromEnv({}), webRoot })).toThrow('the console directory must be an absolute path');
    }
  });

  it('answers unknown API paths with the JSON 404 and sends browsers of any other path to the console', () => {
    const config = renderGatewayConfig(upstreamsFromEnv({}));
    expect(config).toMatch(/location \/api\/ \{\s*default_type application\/json;\s*return 404 '\{"error":\{"type":"not_found_error"/);
    expect(config).toMatch(/location \/ \{\s*try_files \$uri @console_page;/);
    expect(config).toMatch(/if \(\$ish_wants_page = 0\) \{\s*return 404 '\{"error"/);
    expect(config).toContain("~^/assets/    \"public, max-age=31536000, immutable\"");
    expect(config).toMatch(/Content-Security-Policy \$ish_console_csp always/);
    expect(config).toContain("frame-ancestors 'none'");
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

  it('sends POST /api/v1/embeddings to the relays', () => {
    expect(readFileSync(TEMPLATE_PATH, 'utf8')).toMatch(/location = \/api\/v1\/embeddings\s+\{ proxy_pass http:\/\/ish_relay; \}/);
  });
});
