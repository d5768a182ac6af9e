import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, resolve } from 'node:path';

// this file runs from tools/gateway (tests) or dist/tools/gateway (built)
const REPO_ROOT = resolve(__dirname, __dirname.split('/').includes('dist') ? '../../..' : '../..');
export const TEMPLATE_PATH = resolve(REPO_ROOT, 'docker/nginx/templates/ish.conf.template');
/** where `npm run build` puts the console (apps/web) */
export const WEB_BUILD_DIR = resolve(REPO_ROOT, 'dist/web');

export interface GatewayUpstreams {
  /** `port` or `address:port` nginx listens on */
  listen: string;
  bodyLimit: string;
  auth: string[];
  relay: string[];
  instanceManager: string[];
  androidBridge: string[];
  /** the built console the gateway serves at `/` (an absolute directory) */
  webRoot: string;
  /** requests per client address on /api/v1/ (`100r/s`, `600r/m`) and the burst beyond it; DEFAULT_RATE_LIMIT when unset */
  rateLimit?: string;
  rateBurst?: number;
  /** addresses or CIDRs of proxies in front of the gateway whose X-Forwarded-For is believed; none by default */
  trustedProxies?: string[];
  /** HTTPS on `tls.listen` with this certificate and key; `listen` then only redirects to https on `tls.publicPort` */
  tls?: GatewayTls;
}

export interface GatewayTls {
  /** absolute paths of the PEM certificate (chain) and its key */
  cert: string;
  key: string;
  /** `port` or `address:port` nginx serves HTTPS on */
  listen: string;
  /** the port clients reach HTTPS on, for the redirect (443: none in the URL) */
  publicPort: number;
}

/**
 * Local and test stacks: generous enough that the load benchmark (1000 clients on one address) and the tests
 * are never throttled; compose and Kubernetes set their own (GATEWAY_RATE_LIMIT, GATEWAY_RATE_BURST).
 */
export const DEFAULT_RATE_LIMIT = { rate: '5000r/s', burst: 10_000 };
/** one year; no includeSubDomains, which would bind every other host of the operator's domain */
export const HSTS_HEADER = 'max-age=31536000';

/**
 * `host:port` list → nginx `server` lines. A server that failed 3 times within 5 s is skipped for 5 s;
 * one slow connect under a burst must not take a healthy replica out (and then all of them).
 */
function servers(addresses: string[]): string {
  if (addresses.length === 0) throw new Error('every upstream needs at least one server');
  return addresses.map((a) => `server ${a} max_fails=3 fail_timeout=5s;`).join(' ');
}

/** Fills the template's ${NAME} variables, refusing to leave any unfilled. */
export function renderTemplate(template: string, variables: Record<string, string>): string {
  return template.replace(/\$\{([A-Z][A-Z0-9_]*)\}/g, (_match, name: string) => {
    const value = variables[name];
    if (value === undefined) throw new Error(`nginx template variable ${name} has no value`);
    return value;
  });
}

/** nginx's `root`: an absolute path it can read as one word (no quotes, spaces, `$`, `;` or braces). */
function webRootDirective(dir: string): string {
  if (!dir.startsWith('/') || /[\s"'$;{}\\]/.test(dir)) throw new Error(`the console directory must be an absolute path without spaces, quotes, $, ; or braces: ${JSON.stringify(dir)}`);
  return dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
}

/** a file nginx reads as one word */
function filePath(what: string, path: string): string {
  if (!path.startsWith('/') || /[\s"'$;{}\\]/.test(path)) throw new Error(`${what} must be an absolute path without spaces, quotes, $, ; or braces: ${JSON.stringify(path)}`);
  return path;
}

function rate(value: string): string {
  if (!/^[1-9]\d{0,6}r\/[sm]$/.test(value)) throw new Error(`GATEWAY_RATE_LIMIT must be requests per second or minute, like 100r/s or 600r/m: ${JSON.stringify(value)}`);
  return value;
}

function burst(value: number): string {
  if (!Number.isInteger(value) || value < 1 || value > 1_000_000) throw new Error(`GATEWAY_RATE_BURST must be a whole number from 1 to 1000000: ${value}`);
  return String(value);
}

/** `set_real_ip_from` lines, one per trusted proxy (an IP address or a CIDR) */
function realIpFrom(proxies: string[]): string {
  return proxies
    .map((proxy) => {
      const [address, bits, extra] = proxy.split('/');
      const family = isIP(address);
      const prefixOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
      if (family === 0 || !prefixOk || extra !== undefined) throw new Error(`GATEWAY_TRUSTED_PROXIES must list IP addresses or CIDRs: ${JSON.stringify(proxy)}`);
      return `set_real_ip_from ${proxy};`;
    })
    .join(' ');
}

/** the ssl directives and the plain-HTTP server that redirects to HTTPS; both empty without TLS */
function tlsParts(plainListen: string, tls: GatewayTls | undefined): { listen: string; tls: string; redirect: string } {
  if (!tls) return { listen: plainListen, tls: '', redirect: '' };
  const port = tls.publicPort === 443 ? '' : `:${tls.publicPort}`;
  return {
    listen: `${tls.listen} ssl`,
    tls: [
      `ssl_certificate ${filePath('GATEWAY_TLS_CERT', tls.cert)};`,
      `ssl_certificate_key ${filePath('GATEWAY_TLS_KEY', tls.key)};`,
      'ssl_protocols TLSv1.2 TLSv1.3;',
      'ssl_session_cache shared:ish_tls:10m;',
      `add_header Strict-Transport-Security "${HSTS_HEADER}" always;`,
    ].join(' '),
    // 308 keeps the method and body of an API call (301 would turn a POST into a GET)
    redirect: `server { listen ${plainListen}; server_tokens off; location / { return 308 https://$host${port}$request_uri; } }`,
  };
}

export function renderGatewayConfig(upstreams: GatewayUpstreams, template = readFileSync(TEMPLATE_PATH, 'utf8')): string {
  const tls = tlsParts(upstreams.listen, upstreams.tls);
  return renderTemplate(template, {
    GATEWAY_LISTEN: tls.listen,
    GATEWAY_TLS: tls.tls,
    GATEWAY_HTTP_REDIRECT: tls.redirect,
    GATEWAY_BODY_LIMIT: upstreams.bodyLimit,
    GATEWAY_RATE_LIMIT: rate(upstreams.rateLimit ?? DEFAULT_RATE_LIMIT.rate),
    GATEWAY_RATE_BURST: burst(upstreams.rateBurst ?? DEFAULT_RATE_LIMIT.burst),
    GATEWAY_REAL_IP_FROM: realIpFrom(upstreams.trustedProxies ?? []),
    AUTH_SERVERS: servers(upstreams.auth),
    RELAY_SERVERS: servers(upstreams.relay),
    INSTANCE_MANAGER_SERVERS: servers(upstreams.instanceManager),
    ANDROID_BRIDGE_SERVERS: servers(upstreams.androidBridge),
    WEB_ROOT: webRootDirective(upstreams.webRoot),
  });
}

/**
 * HTTPS from GATEWAY_TLS_CERT and GATEWAY_TLS_KEY (both or neither) on GATEWAY_TLS_PORT (default 8443), at the
 * address of the plain `listen`.
 */
export function tlsFromEnv(env: NodeJS.ProcessEnv, listen: string): GatewayTls | undefined {
  const cert = env.GATEWAY_TLS_CERT || undefined;
  const key = env.GATEWAY_TLS_KEY || undefined;
  if (!cert && !key) return undefined;
  if (!cert || !key) throw new Error('GATEWAY_TLS_CERT and GATEWAY_TLS_KEY go together: set both for HTTPS, or neither');
  const port = Number(env.GATEWAY_TLS_PORT || 8443);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`GATEWAY_TLS_PORT must be a port: ${env.GATEWAY_TLS_PORT}`);
  return { cert, key, listen: listen.replace(/(^|:)\d+$/, `$1${port}`), publicPort: port };
}

/** Reads `host:port[,host:port…]` lists from env, defaulting to the local ports of API.md. */
export function upstreamsFromEnv(env: NodeJS.ProcessEnv): GatewayUpstreams {
  const list = (name: string, fallback: string) => (env[name] ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);
  const listen = env.GATEWAY_LISTEN ?? `127.0.0.1:${env.GATEWAY_PORT ?? 8080}`;
  return {
    listen,
    // MAX_REQUEST_BYTES' default: chat requests carry images as data URLs
    bodyLimit: env.GATEWAY_BODY_LIMIT ?? '32m',
    auth: list('AUTH_UPSTREAMS', '127.0.0.1:8001'),
    relay: list('RELAY_UPSTREAMS', '127.0.0.1:8002'),
    instanceManager: list('INSTANCE_MANAGER_UPSTREAMS', '127.0.0.1:8003'),
    androidBridge: list('ANDROID_BRIDGE_UPSTREAMS', '127.0.0.1:8004'),
    webRoot: env.WEB_ROOT ?? WEB_BUILD_DIR,
    rateLimit: env.GATEWAY_RATE_LIMIT || undefined,
    rateBurst: env.GATEWAY_RATE_BURST ? Number(env.GATEWAY_RATE_BURST) : undefined,
    trustedProxies: list('GATEWAY_TRUSTED_PROXIES', ''),
    tls: tlsFromEnv(env, listen),
  };
}

/** CLI: `node dist/tools/gateway/render-nginx.js <out-file>` with the upstreams in env. */
if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: render-nginx <out-file>');
    process.exit(2);
  }
  try {
    const config = renderGatewayConfig(upstreamsFromEnv(process.env));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, config);
  } catch (error) {
    // a bad gateway setting (GATEWAY_TLS_*, GATEWAY_RATE_*, GATEWAY_TRUSTED_PROXIES) stops npm start, named
    console.error(`render-nginx: ${(error as Error).message}`);
    process.exit(1);
  }
}
