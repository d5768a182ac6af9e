import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ServiceName } from '@ish/contracts';
import { SERVICE_NAMES } from '@ish/contracts';
import { renderGatewayConfig, TEMPLATE_PATH } from '@ish/gateway';
import { APP_PORTS, GATEWAY_URL, REPO_ROOT, SECOND_RELAY_PORT, serviceUrl, waitFor } from '@ish/test-support';
import { readYamlDocuments } from './support/kustomize';
import { renderLikeTheImage, testNginxSite } from './support/nginx';

const TEMPLATE_VARIABLES = ['GATEWAY_LISTEN', 'GATEWAY_BODY_LIMIT', 'AUTH_SERVERS', 'RELAY_SERVERS', 'INSTANCE_MANAGER_SERVERS', 'ANDROID_BRIDGE_SERVERS', 'WEB_ROOT',
  'GATEWAY_RATE_LIMIT', 'GATEWAY_RATE_BURST', 'GATEWAY_REAL_IP_FROM', 'GATEWAY_TLS', 'GATEWAY_HTTP_REDIRECT'];
/** template variables the image's 15-ish-gateway.envsh derives (from the settings below) rather than takes as given */
const DERIVED_BY_THE_IMAGE = ['GATEWAY_REAL_IP_FROM', 'GATEWAY_TLS', 'GATEWAY_HTTP_REDIRECT'];
/** the settings it derives them from */
const GATEWAY_SETTINGS = ['GATEWAY_TRUSTED_PROXIES', 'GATEWAY_TLS_CERT', 'GATEWAY_TLS_KEY', 'GATEWAY_TLS_PORT'];
/** where the gateway image (docker/Dockerfile, stage gateway) holds the built console */
const IMAGE_WEB_ROOT = '/usr/share/nginx/ish-web';

/** the test system's processes of each service (the gateway balances the relay over two) */
const REPLICA_PORTS: Record<ServiceName, number[]> = { ...Object.fromEntries(SERVICE_NAMES.map((s) => [s, [APP_PORTS[s]]])), relay: [APP_PORTS.relay, SECOND_RELAY_PORT] } as Record<ServiceName, number[]>;

/** GET requests the processes of `service` answered so far, by their own /metrics, leaving out scrapes and health probes. */
async function apiGets(service: ServiceName): Promise<number> {
  let total = 0;
  for (const port of REPLICA_PORTS[service]) {
    const text = await (await fetch(`${serviceUrl(service, port)}/metrics`)).text();
    for (const line of text.split('\n')) {
      if (!line.startsWith('http_requests_total{') || !line.includes('method="GET"')) continue;
      if (/route="(\/metrics|\/health[^"]*)"/.test(line)) continue;
      total += Number(line.split(' ').pop());
    }
  }
  return total;
}

describe('the nginx gateway configuration', () => {
  it('renders into a config the real nginx accepts (`nginx -t`)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ish-nginx-'));
    try {
      const site = renderGatewayConfig({
        listen: '127.0.0.1:18099',
        bodyLimit: '2m',
        auth: ['127.0.0.1:18001'],
        relay: ['127.0.0.1:18002', '127.0.0.1:18012'],
        instanceManager: ['127.0.0.1:18003'],
        androidBridge: ['127.0.0.1:18004'],
        webRoot: dir,
        trustedProxies: ['10.0.0.0/8', '2001:db8::1'],
      });
      expect(testNginxSite(dir, site)).toContain('test is successful');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gets every template variable from docker compose and from Kubernetes, with what the image derives', () => {
    const template = readFileSync(TEMPLATE_PATH, 'utf8');
    const used = [...new Set([...template.matchAll(/\$\{([A-Z][A-Z0-9_]*)\}/g)].map((m) => m[1]))].sort();
    expect(used).toEqual([...TEMPLATE_VARIABLES].sort());
    const given = TEMPLATE_VARIABLES.filter((name) => !DERIVED_BY_THE_IMAGE.includes(name));

    const compose = readYamlDocuments(resolve(REPO_ROOT, 'docker/docker-compose.yml'))[0] as {
      services: Record<string, { image: string; volumes: string[]; environment: Record<string, string> }>;
    };
    const gateway = compose.services.gateway;
    expect(gateway.volumes).toContain('./nginx/templates:/etc/nginx/templates:ro');
    expect(Object.keys(gateway.environment).sort()).toEqual([...given, ...GATEWAY_SETTINGS].sort());
    expect(gateway.environment.RELAY_SERVERS).toMatch(/^(server relay:8002[^;]*;\s*)+$/);
    expect(gateway.environment.WEB_ROOT).toBe(IMAGE_WEB_ROOT);

    const [deployment] = readYamlDocuments(resolve(REPO_ROOT, 'k8s/base/gateway/gateway.yaml')) as {
      spec: { template: { spec: { containers: { env: { name: string; value: string }[] }[] } } };
    }[];
    const env = deployment.spec.template.spec.containers[0].env;
    // TLS ends at the Ingress: the gateway itself speaks plain HTTP inside the cluster
    expect(env.map((e) => e.name).sort()).toEqual([...given, 'GATEWAY_TRUSTED_PROXIES'].sort());
    expect(env.find((e) => e.name === 'WEB_ROOT')?.value).toBe(IMAGE_WEB_ROOT);

    // rendered the image's way from those environments, nothing is left unfilled and nginx takes it
    const k8sEnv = Object.fromEntries(env.map((e) => [e.name, e.value.replace(/(auth|relay|instance-manager|android-bridge):/g, '127.0.0.1:')]));
    const dir = mkdtempSync(join(tmpdir(), 'ish-nginx-'));
    try {
      const site = renderLikeTheImage({ ...k8sEnv, WEB_ROOT: dir });
      expect(site).not.toMatch(/\$\{[A-Z_]+\}/);
      expect(site).toContain('set_real_ip_from 10.0.0.0/8; set_real_ip_from 172.16.0.0/12; set_real_ip_from 192.168.0.0/16;');
      expect(testNginxSite(dir, site)).toContain('test is successful');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ships the console in the gateway image that compose and Kubernetes run', () => {
    // docker/Dockerfile: the gateway stage copies what the build stage's `npm run build` made of apps/web
    const dockerfile = readFileSync(resolve(REPO_ROOT, 'docker/Dockerfile'), 'utf8');
    const stage = dockerfile.slice(dockerfile.indexOf('FROM ${NGINX_IMAGE} AS gateway'), dockerfile.indexOf('FROM ${NODE_IMAGE} AS runtime'));
    expect(stage).toContain(`COPY --from=build /app/dist/web ${IMAGE_WEB_ROOT}`);
    expect(stage).toContain(`ENV WEB_ROOT=${IMAGE_WEB_ROOT}`);
    expect(stage).toContain('COPY docker/nginx/templates/ /etc/nginx/templates/');
    expect(dockerfile).toMatch(/^ARG NGINX_IMAGE=nginxinc\/nginx-unprivileged:[\w.-]+$/m);
    const pkg = JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toContain('build:web');
    expect(pkg.scripts['build:web']).toMatch(/vite build --config apps\/web\/vite\.config\.mts/);

    const compose = readYamlDocuments(resolve(REPO_ROOT, 'docker/docker-compose.yml'))[0] as { services: { gateway: { image: string; build: Record<string, string> } } };
    expect(compose.services.gateway.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile', target: 'gateway' });
    expect(compose.services.gateway.image).toMatch(/^ish-chat\/gateway:/);
    const [deployment] = readYamlDocuments(resolve(REPO_ROOT, 'k8s/base/gateway/gateway.yaml')) as { spec: { template: { spec: { containers: { image: string }[] } } } }[];
    expect(deployment.spec.template.spec.containers[0].image).toMatch(/^ish-chat\/gateway:/);
  });

  it('is the one template in Kubernetes too: k8s/base takes it from docker/nginx, no copy to drift', () => {
    expect(existsSync(resolve(REPO_ROOT, 'k8s/base/gateway/ish.conf.template'))).toBe(false);
    const nginx = readYamlDocuments(resolve(REPO_ROOT, 'docker/nginx/kustomization.yaml'))[0] as { configMapGenerator: { name: string; files: string[] }[] };
    expect(nginx.configMapGenerator).toEqual([{ name: 'gateway-template', files: ['templates/ish.conf.template'] }]);
    expect(resolve(REPO_ROOT, 'docker/nginx', nginx.configMapGenerator[0].files[0])).toBe(TEMPLATE_PATH);
    const base = readYamlDocuments(resolve(REPO_ROOT, 'k8s/base/kustomization.yaml'))[0] as { resources: string[] };
    expect(base.resources).toContain('../../docker/nginx');
  });

  it('leaves nginx variables alone when the nginx image renders it with envsubst', () => {
    const env: Record<string, string> = {
      HOSTNAME: 'gateway',
      NGINX_VERSION: '1.27.5',
      GATEWAY_LISTEN: '8080',
      GATEWAY_BODY_LIMIT: '2m',
      AUTH_SERVERS: 'server auth:8001;',
      RELAY_SERVERS: 'server relay:8002;',
      INSTANCE_MANAGER_SERVERS: 'server instance-manager:8003;',
      ANDROID_BRIDGE_SERVERS: 'server android-bridge:8004;',
      WEB_ROOT: IMAGE_WEB_ROOT,
    };
    const rendered = renderLikeTheImage(env);
    expect(rendered).not.toMatch(/\$\{[A-Z_]+\}/);
    expect(rendered).toContain('listen 8080;');
    expect(rendered).toContain('$http_x_request_id');
    expect(rendered).toContain('proxy_set_header Host $host;');
    expect(rendered).toContain('proxy_set_header X-Forwarded-For $remote_addr;');
    expect(rendered).toContain(`root ${IMAGE_WEB_ROOT};`);
    expect(rendered).toContain('try_files $uri @console_page;');
    // the image's defaults: a coarse per-address limit, no trusted proxy, plain HTTP
    expect(rendered).toContain('rate=100r/s;');
    expect(rendered).toContain('burst=500 nodelay;');
    expect(rendered).not.toMatch(/set_real_ip_from|ssl_certificate|return 308/);
  });

  it('derives the same directives in the image (15-ish-gateway.envsh) as render-nginx does for local stacks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ish-nginx-'));
    try {
      writeFileSync(join(dir, 'cert.pem'), 'certificate');
      writeFileSync(join(dir, 'key.pem'), 'key');
      const server = (host: string) => `server ${host} max_fails=3 fail_timeout=5s;`;
      const local = renderGatewayConfig({
        listen: '8080',
        bodyLimit: '2m',
        auth: ['auth:8001'],
        relay: ['relay:8002'],
        instanceManager: ['instance-manager:8003'],
        androidBridge: ['android-bridge:8004'],
        webRoot: IMAGE_WEB_ROOT,
        rateLimit: '30r/m',
        rateBurst: 7,
        trustedProxies: ['10.1.0.0/16', '192.0.2.1'],
        tls: { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem'), listen: '8443', publicPort: 443 },
      });
      const image = renderLikeTheImage({
        GATEWAY_LISTEN: '8080',
        GATEWAY_BODY_LIMIT: '2m',
        AUTH_SERVERS: server('auth:8001'),
        RELAY_SERVERS: server('relay:8002'),
        INSTANCE_MANAGER_SERVERS: server('instance-manager:8003'),
        ANDROID_BRIDGE_SERVERS: server('android-bridge:8004'),
        WEB_ROOT: IMAGE_WEB_ROOT,
        GATEWAY_RATE_LIMIT: '30r/m',
        GATEWAY_RATE_BURST: '7',
        GATEWAY_TRUSTED_PROXIES: '10.1.0.0/16, 192.0.2.1',
        GATEWAY_TLS_CERT: join(dir, 'cert.pem'),
        GATEWAY_TLS_KEY: join(dir, 'key.pem'),
        GATEWAY_TLS_PORT: '443',
      });
      expect(image).toBe(local);
      expect(image).toContain('listen 8443 ssl;');
      expect(image).toContain('return 308 https://$host$request_uri;');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops the image at start when TLS is half configured or a trusted proxy is not an address', () => {
    const base = { GATEWAY_LISTEN: '8080', GATEWAY_BODY_LIMIT: '2m', WEB_ROOT: IMAGE_WEB_ROOT };
    expect(() => renderLikeTheImage({ ...base, GATEWAY_TLS_CERT: '/etc/nginx/tls/cert.pem' })).toThrow(/GATEWAY_TLS_CERT and GATEWAY_TLS_KEY go together/);
    expect(() => renderLikeTheImage({ ...base, GATEWAY_TLS_CERT: '/nonexistent/cert.pem', GATEWAY_TLS_KEY: '/nonexistent/key.pem' })).toThrow(/GATEWAY_TLS_CERT: cannot read/);
    expect(() => renderLikeTheImage({ ...base, GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8;evil' })).toThrow(/GATEWAY_TRUSTED_PROXIES must list IP addresses/);
  });
});

describe('requests through the running test gateway', () => {
  it('answers the aggregated health', async () => {
    const response = await fetch(`${GATEWAY_URL}/api/v1/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(expect.objectContaining({ status: expect.stringMatching(/^(ok|degraded)$/), services: expect.any(Object) }));
  });

  // a path under each prefix that no route matches: the answer must come from the service behind the
  // prefix (its own request counter moves, no other service's does), never from nginx's own 404
  const ROUTES: [string, ServiceName][] = [
    ['/api/v1/auth/deploy-test/no/such/route', 'auth'],
    ['/api/v1/admin/deploy-test/no/such/route', 'auth'],
    ['/api/v1/webhooks/deploy-test/no/such/route', 'relay'],
    ['/api/v1/jobs/deploy-test/no/such/route', 'relay'],
    ['/api/v1/conversations/deploy-test/no/such/route', 'relay'],
    ['/api/v1/instances/deploy-test/no/such/route', 'instance-manager'],
    ['/api/v1/android/deploy-test/no/such/route', 'android-bridge'],
  ];
  it.each(ROUTES)('routes %s to %s', async (path, service) => {
    const before = Object.fromEntries(await Promise.all(SERVICE_NAMES.map(async (s) => [s, await apiGets(s)] as const)));
    const response = await fetch(`${GATEWAY_URL}${path}`, { headers: { 'x-request-id': 'deploy-route-check' } });
    expect([401, 403, 404]).toContain(response.status);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.headers.get('x-request-id')).toBe('deploy-route-check');
    const body = (await response.json()) as { error: { type: string; message: string } };
    expect(body.error).toEqual(expect.objectContaining({ type: expect.any(String), message: expect.any(String) }));
    expect(body.error.message).not.toBe('No such endpoint');
    // the app counts a request when its response has finished, which can be just after the client has it
    await waitFor(`${service} to count the request`, async () => (await apiGets(service)) > before[service], 3000, 50);
    const after = Object.fromEntries(await Promise.all(SERVICE_NAMES.map(async (s) => [s, await apiGets(s)] as const)));
    for (const s of SERVICE_NAMES.filter((name) => name !== service)) expect(`${s}: ${after[s] - before[s]}`).toBe(`${s}: 0`);
  });

  it('serves the built console at /: index.html never cached, hashed assets for a year, a CSP on both', async () => {
    const index = await fetch(`${GATEWAY_URL}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    expect(index.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    const html = await index.text();
    const script = /<script type="module" crossorigin src="(\/assets\/[\w.-]+\.js)">/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${GATEWAY_URL}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-security-policy')).toBeTruthy();
    // a missing asset is a 404, never index.html parsed as a script
    const missing = await fetch(`${GATEWAY_URL}/assets/missing-0000.js`);
    expect([missing.status, missing.headers.get('content-type')]).toEqual([404, 'application/json']);
  });

  it('answers a browser opening a console page with the console, and an unknown API path with JSON either way', async () => {
    const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
    for (const page of ['/chat', '/instances', '/keys', '/no-such-page']) {
      const response = await fetch(`${GATEWAY_URL}${page}`, { headers: browser });
      expect(`${page} ${response.status} ${response.headers.get('content-type')}`).toMatch(new RegExp(`^${page} 200 text/html`));
      expect(await response.text()).toContain('<div id="root"></div>');
    }
    for (const path of ['/api/v1/no-such-thing', '/api/v2/anything']) {
      const response = await fetch(`${GATEWAY_URL}${path}`, { headers: browser });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { type: string } }).error.type).toBe('not_found_error');
      expect(response.headers.get('content-security-policy')).toBeNull();
    }
    // API answers keep the services' own headers: no console CSP on them (Swagger UI has inline scripts)
    expect((await fetch(`${GATEWAY_URL}/api/v1/health`)).headers.get('content-security-policy')).toBeNull();
    expect((await fetch(`${GATEWAY_URL}/api/v1/docs/`)).headers.get('content-security-policy')).toBeNull();
  });

  it('keeps /metrics inside: 404 in the API.md shape at the gateway, 200 on every app port', async () => {
    const response = await fetch(`${GATEWAY_URL}/metrics`);
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: expect.objectContaining({ type: 'not_found_error' }) });
    expect(text).not.toContain('http_requests_total');
    for (const service of SERVICE_NAMES) expect((await fetch(`http://127.0.0.1:${APP_PORTS[service]}/metrics`)).status).toBe(200);
  });
});
