import { readFileSync } from 'node:fs';
import { DEFAULT_RATE_LIMIT, renderGatewayConfig, renderTemplate, TEMPLATE_PATH, tlsFromEnv, upstreamsFromEnv, WEB_BUILD_DIR } from './render-nginx';

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

  it('sends /api/v1/webhooks to the relays, which mount the webhooks module', () => {
    expect(readFileSync(TEMPLATE_PATH, 'utf8')).toMatch(/location \/api\/v1\/webhooks\s+\{ proxy_pass http:\/\/ish_relay; \}/);
  });

  it('limits each client address on /api/v1/ only, generously unless told', () => {
    const config = renderGatewayConfig(upstreamsFromEnv({}));
    expect(config).toContain(`limit_req_zone $ish_api_client zone=ish_api:10m rate=${DEFAULT_RATE_LIMIT.rate};`);
    expect(config).toContain(`limit_req zone=ish_api burst=${DEFAULT_RATE_LIMIT.burst} nodelay;`);
    expect(config).toMatch(/map \$uri \$ish_api_client \{\s*default\s+"";\s*~\^\/api\/v1\/\s+\$binary_remote_addr;/);
    const strict = renderGatewayConfig(upstreamsFromEnv({ GATEWAY_RATE_LIMIT: '600r/m', GATEWAY_RATE_BURST: '20' }));
    expect(strict).toContain('rate=600r/m;');
    expect(strict).toContain('burst=20 nodelay;');
    for (const rateLimit of ['100', '10r/h', '0r/s', '1r/s;', 'r/s']) expect(() => renderGatewayConfig({ ...upstreamsFromEnv({}), rateLimit })).toThrow('GATEWAY_RATE_LIMIT');
    for (const rateBurst of [0, -1, 1.5, Number.NaN]) expect(() => renderGatewayConfig({ ...upstreamsFromEnv({}), rateBurst })).toThrow('GATEWAY_RATE_BURST');
  });

  it('believes X-Forwarded-For only from GATEWAY_TRUSTED_PROXIES, none by default, and passes the apps the address it judged', () => {
    const none = renderGatewayConfig(upstreamsFromEnv({}));
    expect(none).not.toContain('set_real_ip_from');
    expect(none).toContain('proxy_set_header X-Forwarded-For $remote_addr;');
    expect(none).toContain('proxy_set_header X-Real-IP $remote_addr;');
    expect(none).not.toContain('$proxy_add_x_forwarded_for');
    const trusted = renderGatewayConfig(upstreamsFromEnv({ GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.7,fd00::/8' }));
    expect(trusted).toContain('set_real_ip_from 10.0.0.0/8; set_real_ip_from 192.0.2.7; set_real_ip_from fd00::/8;');
    for (const proxy of ['10.0.0.0/33', 'example.com', '10.0.0.1;', '10.0.0.0/8/1', '::1/129', 'all']) {
      expect(() => renderGatewayConfig(upstreamsFromEnv({ GATEWAY_TRUSTED_PROXIES: proxy }))).toThrow('GATEWAY_TRUSTED_PROXIES must list IP addresses or CIDRs');
    }
  });

  it('serves plain HTTP without a certificate, HTTPS with HSTS and a redirect with one', () => {
    expect(tlsFromEnv({}, '127.0.0.1:8080')).toBeUndefined();
    const plain = renderGatewayConfig(upstreamsFromEnv({}));
    expect(plain).not.toMatch(/ssl_certificate|listen \S+ ssl|Strict-Transport-Security|return 308/);
    const env = { GATEWAY_PORT: '18080', GATEWAY_TLS_CERT: '/etc/ssl/ish/cert.pem', GATEWAY_TLS_KEY: '/etc/ssl/ish/key.pem', GATEWAY_TLS_PORT: '18443' };
    expect(tlsFromEnv(env, '127.0.0.1:18080')).toEqual({ cert: '/etc/ssl/ish/cert.pem', key: '/etc/ssl/ish/key.pem', listen: '127.0.0.1:18443', publicPort: 18443 });
    const tls = renderGatewayConfig(upstreamsFromEnv(env));
    expect(tls).toContain('listen 127.0.0.1:18443 ssl;');
    expect(tls).toContain('ssl_certificate /etc/ssl/ish/cert.pem; ssl_certificate_key /etc/ssl/ish/key.pem; ssl_protocols TLSv1.2 TLSv1.3;');
    expect(tls).toContain('add_header Strict-Transport-Security "max-age=31536000" always;');
    expect(tls).toContain('server { listen 127.0.0.1:18080; server_tokens off; location / { return 308 https://$host:18443$request_uri; } }');
    expect(tlsFromEnv({ ...env, GATEWAY_TLS_PORT: '443' }, '0.0.0.0:80')).toMatchObject({ listen: '0.0.0.0:443', publicPort: 443 });
    expect(renderGatewayConfig(upstreamsFromEnv({ ...env, GATEWAY_TLS_PORT: '443' }))).toContain('return 308 https://$host$request_uri;');
    expect(tlsFromEnv({ GATEWAY_TLS_CERT: '/c.pem', GATEWAY_TLS_KEY: '/k.pem' }, '8080')).toMatchObject({ listen: '8443', publicPort: 8443 });
  });

  it('refuses half a TLS configuration, a bad port and files nginx would misread', () => {
    expect(() => tlsFromEnv({ GATEWAY_TLS_CERT: '/c.pem' }, '8080')).toThrow('GATEWAY_TLS_CERT and GATEWAY_TLS_KEY go together');
    expect(() => tlsFromEnv({ GATEWAY_TLS_KEY: '/k.pem' }, '8080')).toThrow('GATEWAY_TLS_CERT and GATEWAY_TLS_KEY go together');
    expect(() => tlsFromEnv({ GATEWAY_TLS_CERT: '/c.pem', GATEWAY_TLS_KEY: '/k.pem', GATEWAY_TLS_PORT: '70000' }, '8080')).toThrow('GATEWAY_TLS_PORT');
    expect(() => renderGatewayConfig(upstreamsFromEnv({ GATEWAY_TLS_CERT: 'cert.pem', GATEWAY_TLS_KEY: '/k.pem' }))).toThrow('GATEWAY_TLS_CERT must be an absolute path');
    expect(() => renderGatewayConfig(upstreamsFromEnv({ GATEWAY_TLS_CERT: '/c.pem', GATEWAY_TLS_KEY: '/my key.pem' }))).toThrow('GATEWAY_TLS_KEY must be an absolute path');
  });
});
