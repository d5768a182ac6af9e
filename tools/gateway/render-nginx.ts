import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
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
}

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

export function renderGatewayConfig(upstreams: GatewayUpstreams, template = readFileSync(TEMPLATE_PATH, 'utf8')): string {
  return renderTemplate(template, {
    GATEWAY_LISTEN: upstreams.listen,
    GATEWAY_BODY_LIMIT: upstreams.bodyLimit,
    AUTH_SERVERS: servers(upstreams.auth),
    RELAY_SERVERS: servers(upstreams.relay),
    INSTANCE_MANAGER_SERVERS: servers(upstreams.instanceManager),
    ANDROID_BRIDGE_SERVERS: servers(upstreams.androidBridge),
    WEB_ROOT: webRootDirective(upstreams.webRoot),
  });
}

/** Reads `host:port[,host:port…]` lists from env, defaulting to the local ports of API.md. */
export function upstreamsFromEnv(env: NodeJS.ProcessEnv): GatewayUpstreams {
  const list = (name: string, fallback: string) => (env[name] ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);
  return {
    listen: env.GATEWAY_LISTEN ?? `127.0.0.1:${env.GATEWAY_PORT ?? 8080}`,
    // MAX_REQUEST_BYTES' default: chat requests carry images as data URLs
    bodyLimit: env.GATEWAY_BODY_LIMIT ?? '32m',
    auth: list('AUTH_UPSTREAMS', '127.0.0.1:8001'),
    relay: list('RELAY_UPSTREAMS', '127.0.0.1:8002'),
    instanceManager: list('INSTANCE_MANAGER_UPSTREAMS', '127.0.0.1:8003'),
    androidBridge: list('ANDROID_BRIDGE_UPSTREAMS', '127.0.0.1:8004'),
    webRoot: env.WEB_ROOT ?? WEB_BUILD_DIR,
  };
}

/** CLI: `node dist/tools/gateway/render-nginx.js <out-file>` with the upstreams in env. */
if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: render-nginx <out-file>');
    process.exit(2);
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, renderGatewayConfig(upstreamsFromEnv(process.env)));
}
