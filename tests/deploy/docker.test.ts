import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { SERVICE_NAMES } from '@ish/contracts';
import { APP_PORTS, REPO_ROOT } from '@ish/test-support';
import { appConfigError } from './support/app-configs';
import { readYamlDocuments } from './support/kustomize';

const COMPOSE_FILE = resolve(REPO_ROOT, 'docker/docker-compose.yml');

/** KEY=value lines of .env.example (comments and blank lines skipped). */
function envExample(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of readFileSync(resolve(REPO_ROOT, '.env.example'), 'utf8').split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) entries.set(match[1], match[2]);
  }
  return entries;
}

/**
 * Compose's interpolation (`$$`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
 * `${VAR:+replacement}`, `${VAR+replacement}`) over every string of the file, as `docker compose config` does before it validates.
 */
function interpolate(value: unknown, env: Map<string, string>, used: Set<string>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}/g, (whole, name: string | undefined, operator: string | undefined, argument: string | undefined) => {
      if (whole === '$$') return '$';
      used.add(name!);
      const current = env.get(name!);
      const missing = operator?.startsWith(':') ? !current : current === undefined;
      if (operator?.endsWith('-')) return missing ? argument ?? '' : current!;
      if (operator?.endsWith('+')) return missing ? '' : argument ?? '';
      if (operator?.endsWith('?') && missing) throw new Error(`compose: ${name} is required: ${argument}`);
      return current ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env, used));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, used)]));
  return value;
}

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  env_file?: { path: string; required: boolean }[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[]; disable?: boolean };
  deploy?: { replicas?: number };
  volumes?: string[];
  ports?: string[];
}

/** .env.example with the two secrets it leaves empty filled in, as a user's .env would have them */
function userEnv(): Map<string, string> {
  const env = envExample();
  env.set('JWT_KEYS', 'k1:an-example-secret-of-at-least-32-characters');
  env.set('INSTANCE_KEY_ENCRYPTION_KEY', Buffer.alloc(32, 7).toString('base64'));
  env.set('GRAFANA_ADMIN_PASSWORD', 'a-grafana-password-of-the-user');
  return env;
}

describe('docker/docker-compose.yml', () => {
  const raw = readYamlDocuments(COMPOSE_FILE)[0];
  const used = new Set<string>();
  const compose = interpolate(raw, userEnv(), used) as { services: Record<string, ComposeService> };
  const services = compose.services;

  it('refuses to start while .env lacks the secrets npm start would generate', () => {
    expect(() => interpolate(raw, envExample(), new Set())).toThrow(/JWT_KEYS is required/);
    const env = userEnv();
    env.set('INSTANCE_KEY_ENCRYPTION_KEY', '');
    expect(() => interpolate(raw, env, new Set())).toThrow(/INSTANCE_KEY_ENCRYPTION_KEY is required/);
  });

  it('has no default Grafana admin password: .env.example leaves it empty and compose refuses to start without one', () => {
    expect(envExample().get('GRAFANA_ADMIN_PASSWORD')).toBe('');
    expect(raw).toMatchObject({ services: { grafana: { environment: { GF_SECURITY_ADMIN_PASSWORD: expect.stringMatching(/^\$\{GRAFANA_ADMIN_PASSWORD:\?[^}]+\}$/) } } } });
    const env = userEnv();
    env.set('GRAFANA_ADMIN_PASSWORD', '');
    expect(() => interpolate(raw, env, new Set())).toThrow(/GRAFANA_ADMIN_PASSWORD is required/);
    expect(services.grafana.environment?.GF_SECURITY_ADMIN_PASSWORD).toBe('a-grafana-password-of-the-user');
  });

  it('runs Prometheus without its lifecycle API (shutdown and reload over HTTP), published on 127.0.0.1 only', () => {
    expect(services.prometheus.command?.some((flag) => flag.startsWith('--web.enable-lifecycle') || flag.startsWith('--web.enable-admin-api'))).toBe(false);
    expect(services.prometheus.command).toEqual(expect.arrayContaining(['--config.file=/etc/prometheus/prometheus.yml']));
    expect(services.prometheus.ports).toEqual(['127.0.0.1:9090:9090']);
  });

  it('is valid against the Compose Specification schema (after interpolation with .env.example)', () => {
    const schema = JSON.parse(readFileSync(resolve(__dirname, 'schemas/compose-spec.json'), 'utf8')) as object;
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // and the raw file too: no field exists only because interpolation produced it
    expect(validate(JSON.parse(JSON.stringify(raw)))).toBe(true);
  });

  it('takes every variable it interpolates from .env.example', () => {
    const documented = envExample();
    expect([...used].filter((name) => !documented.has(name))).toEqual([]);
  });

  it('gives each app an environment its own config validation accepts', () => {
    for (const service of SERVICE_NAMES) {
      const env = { ...Object.fromEntries(userEnv()), ...services[service].environment };
      expect(`${service}: ${appConfigError(service, env)}`).toBe(`${service}: undefined`);
    }
  });

  it('runs the data stores with health checks, Redis with AOF and noeviction', () => {
    expect(services.postgres.image).toMatch(/^postgres:1[56]/);
    expect(services.redis.command).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']));
    expect(services.rabbitmq.image).toMatch(/^rabbitmq:3-management/);
    for (const store of ['postgres', 'redis', 'rabbitmq']) expect(services[store].healthcheck?.test.length).toBeGreaterThan(0);
  });

  it('builds each app from the one Dockerfile and starts it after the data stores are healthy and migrations completed', () => {
    for (const service of SERVICE_NAMES) {
      const app = services[service];
      expect(app.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile', args: { APP: service } });
      expect(app.environment?.PORT).toBe(String({ auth: 8001, relay: 8002, 'instance-manager': 8003, 'android-bridge': 8004, worker: 8005 }[service]));
      expect(app.environment?.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(app.environment?.REDIS_URL).toMatch(/@redis:6379$/);
      expect(app.environment?.RABBITMQ_URL).toMatch(/@rabbitmq:5672$/);
      expect(app.env_file).toEqual([{ path: '../.env', required: true }]);
      expect(app.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        rabbitmq: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    expect(services.worker.deploy?.replicas).toBe(2);
    expect(services.migrate.command).toEqual(['node', 'dist/tools/db/migrate.js']);
    expect(services.migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(existsSync(resolve(REPO_ROOT, 'tools/db/migrate.ts'))).toBe(true);
  });

  it('publishes only the gateway, Prometheus and Grafana', () => {
    const published = Object.entries(services).filter(([, s]) => s.ports?.length).map(([name]) => name).sort();
    expect(published).toEqual(['gateway', 'grafana', 'prometheus']);
    // plain HTTP, and HTTPS once GATEWAY_TLS_CERT and GATEWAY_TLS_KEY are set (8080 then only redirects)
    expect(services.gateway.ports).toEqual(['8080:8080', '8443:8443']);
  });

  it('hands the gateway the TLS files of .env, mounted where its environment says, and nothing without them', () => {
    const withTls = userEnv();
    withTls.set('GATEWAY_TLS_CERT', '/etc/ssl/ish/fullchain.pem');
    withTls.set('GATEWAY_TLS_KEY', '/etc/ssl/ish/privkey.pem');
    withTls.set('GATEWAY_TLS_PORT', '443');
    const gateway = (interpolate(raw, withTls, new Set()) as { services: Record<string, ComposeService> }).services.gateway;
    expect(gateway.volumes).toEqual(expect.arrayContaining(['/etc/ssl/ish/fullchain.pem:/etc/nginx/tls/cert.pem:ro', '/etc/ssl/ish/privkey.pem:/etc/nginx/tls/key.pem:ro']));
    expect(gateway.environment).toMatchObject({ GATEWAY_TLS_CERT: '/etc/nginx/tls/cert.pem', GATEWAY_TLS_KEY: '/etc/nginx/tls/key.pem', GATEWAY_TLS_PORT: '443' });
    expect(gateway.ports).toEqual(['8080:8080', '443:8443']);
    // .env.example leaves TLS off: the image sees no certificate and serves plain HTTP
    expect(services.gateway.environment).toMatchObject({ GATEWAY_TLS_CERT: '', GATEWAY_TLS_KEY: '' });
  });

  it('mounts files that exist: nginx templates, Prometheus config and alerts, Grafana provisioning', () => {
    const mounts = Object.values(services).flatMap((s) => s.volumes ?? []).filter((v) => v.startsWith('./'));
    expect(mounts.length).toBeGreaterThanOrEqual(5);
    for (const mount of mounts) expect(existsSync(resolve(REPO_ROOT, 'docker', mount.split(':')[0]))).toBe(true);
    expect(mounts).toEqual(expect.arrayContaining(['./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro', './prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro']));
  });
});

describe('.env.example', () => {
  const documented = envExample();

  it('lists every variable the apps declare in their config classes', () => {
    const files = [
      resolve(REPO_ROOT, 'libs/platform/src/config/config.ts'),
      ...SERVICE_NAMES.map((s) => resolve(REPO_ROOT, 'apps', s, 'src/config.ts')),
    ];
    const declared = new Set<string>();
    for (const file of files) {
      for (const match of readFileSync(file, 'utf8').matchAll(/^\s+(?:override\s+)?([A-Z][A-Z0-9_]+)[?!]?\s*[:=]/gm)) declared.add(match[1]);
    }
    expect(declared.size).toBeGreaterThan(10);
    expect([...declared].filter((name) => !documented.has(name))).toEqual([]);
  });

  it('lists the variables of npm start and of the features being built', () => {
    const startScript = readFileSync(resolve(REPO_ROOT, 'tools/start.sh'), 'utf8');
    const startVariables = [...startScript.matchAll(/\$\{([A-Z][A-Z0-9_]*):-/g)].map((m) => m[1]);
    expect(startVariables.filter((name) => !documented.has(name))).toEqual([]);
    const expected = ['WORKERS', 'STACK_NAME', 'GATEWAY_PORT', 'ISH_ADMIN_API_KEY', 'JWT_KEYS', 'JWT_ACCESS_TTL_SECONDS', 'REFRESH_TTL_DAYS', 'RATE_LIMIT_PER_MINUTE',
      'AUTH_ALLOW_REGISTRATION', 'INSTANCE_KEY_ENCRYPTION_KEY', 'HEALTH_PROBE_INTERVAL_MS', 'RELAY_MAX_ATTEMPTS', 'LLM_CACHE_TTL', 'MAX_MESSAGE_CHARS',
      'JOB_RESULT_TTL_SECONDS', 'WEBHOOK_TIMEOUT_MS', 'ANDROID_ALLOWED_COMMANDS', 'ADB_HOST', 'ADB_PORT', 'ANDROID_SIMULATOR', 'OPENAI_API_KEY'];
    expect(expected.filter((name) => !documented.has(name))).toEqual([]);
    // secrets are never given example values: npm start generates them, compose demands them
    for (const secret of ['JWT_KEYS', 'INSTANCE_KEY_ENCRYPTION_KEY', 'ISH_ADMIN_API_KEY', 'OPENAI_API_KEY']) expect(`${secret}=${documented.get(secret)}`).toBe(`${secret}=`);
  });

  it('gives each variable a comment line', () => {
    const lines = readFileSync(resolve(REPO_ROOT, '.env.example'), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (/^[A-Z][A-Z0-9_]*=/.test(line) && !lines[i - 1].startsWith('#')) {
        // variables of one group may share the comment above the group
        expect(`${line} follows: ${lines[i - 1]}`).toMatch(/follows: [A-Z][A-Z0-9_]*=/);
      }
    });
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = readFileSync(resolve(REPO_ROOT, 'docker/Dockerfile'), 'utf8');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() && !line.trim().startsWith('#'))
    .map((line) => line.trim());

  it('builds in one stage and runs from a second, on node:20-bookworm-slim, as a non-root user (the gateway stage between them)', () => {
    expect(instructions).toContain('ARG NODE_IMAGE=node:20-bookworm-slim');
    // the runtime stage stays last: a build without --target makes an app image
    expect(instructions.filter((i) => i.startsWith('FROM '))).toEqual(['FROM ${NODE_IMAGE} AS build', 'FROM ${NGINX_IMAGE} AS gateway', 'FROM ${NODE_IMAGE} AS runtime']);
    const runtime = instructions.slice(instructions.indexOf('FROM ${NODE_IMAGE} AS runtime'));
    expect(instructions).toEqual(expect.arrayContaining(['RUN npm run build']));
    expect(runtime.some((i) => /^RUN npm ci --omit=dev/.test(i))).toBe(true);
    expect(runtime).toContain('COPY --from=build /app/dist ./dist');
    expect(runtime).toContain('USER node');
    expect(runtime.findIndex((i) => i === 'USER node')).toBeGreaterThan(runtime.findIndex((i) => i.startsWith('RUN npm ci')));
    expect(runtime.some((i) => /^HEALTHCHECK .*CMD \["node", "docker\/healthcheck\.js"\]/.test(i))).toBe(true);
    expect(runtime[runtime.length - 1]).toBe('CMD ["sh", "-c", "exec node dist/apps/${APP}/src/main.js"]');
  });

  it('gateway: raises nginx worker_connections (the image has 1024) with a sed that fits the official nginx.conf, and runs unprivileged', () => {
    const gateway = instructions.slice(instructions.indexOf('FROM ${NGINX_IMAGE} AS gateway'), instructions.indexOf('FROM ${NODE_IMAGE} AS runtime'));
    const run = gateway.find((i) => i.includes('worker_connections'));
    const sed = run?.match(/sed -i -E '([^']+)'/)?.[1];
    expect(sed).toBeDefined();
    // the official image's line, two spaces and all
    const official = 'events {\n    worker_connections  1024;\n}\n';
    expect(spawnSync('sed', ['-E', sed as string], { input: official, encoding: 'utf8' }).stdout).toBe('events {\n    worker_connections 16384;\n}\n');
    expect(run).toContain("grep -q 'worker_connections 16384;' /etc/nginx/nginx.conf");
    expect(gateway.filter((i) => i.startsWith('USER ')).pop()).toBe('USER 101');
  });

  it('leaves node_modules, dist, .stack, .git and test artifacts out of the build context', () => {
    const ignored = readFileSync(resolve(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.stack', '.git', 'test-artifacts', '.env']));
  });

  it('has every app the image can be built for; apps/web is the console, which the gateway stage serves', () => {
    for (const service of SERVICE_NAMES) expect(existsSync(join(REPO_ROOT, 'apps', service, 'src/main.ts'))).toBe(true);
    expect(readdirSync(resolve(REPO_ROOT, 'apps')).sort()).toEqual([...SERVICE_NAMES, 'web'].sort());
    expect(existsSync(join(REPO_ROOT, 'apps/web/index.html'))).toBe(true);
  });

  it('has a health check that passes against a running app and fails against a closed port', () => {
    const check = (env: Record<string, string>) =>
      spawnSync(process.execPath, [resolve(REPO_ROOT, 'docker/healthcheck.js')], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 10_000 }).status;
    for (const service of SERVICE_NAMES) expect(`${service}: ${check({ APP: service, PORT: String(APP_PORTS[service]) })}`).toBe(`${service}: 0`);
    expect(check({ APP: 'auth', PORT: '1' })).toBe(1);
  });
});
