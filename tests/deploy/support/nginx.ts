import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, Server } from 'node:net';
import { join, resolve } from 'node:path';
import { TEMPLATE_PATH } from '@ish/gateway';
import { REPO_ROOT, waitFor } from '@ish/test-support';
import { ensureAptBinary, run } from './tools';

/** the script the gateway image sources before it renders the templates (docker/Dockerfile, stage gateway) */
export const IMAGE_ENVSH = resolve(REPO_ROOT, 'docker/nginx/entrypoint/15-ish-gateway.envsh');

/**
 * What the gateway image does at start with `env`: source 15-ish-gateway.envsh, then render the template with
 * envsubst limited to the defined variables, as /docker-entrypoint.d/20-envsubst-on-templates.sh does.
 */
export function renderLikeTheImage(env: Record<string, string>): string {
  const envsubst = ensureAptBinary('envsubst', 'gettext-base');
  const script = [
    'set -e',
    `. "${IMAGE_ENVSH}"`,
    `defined_envs=$(printf '\${%s} ' $(awk "END { for (name in ENVIRON) { print ( name ~ /.*/ ) ? name : \\"\\" } }" < /dev/null ))`,
    `"${envsubst}" "$defined_envs" < "${TEMPLATE_PATH}"`,
  ].join('\n');
  return run('sh', ['-c', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/root', ...env } });
}

/** nginx.conf for a site in `dir`: its own pid, logs and temp paths, the site included in http {} as the stacks do */
export function writeNginxConf(dir: string, site: string): string {
  writeFileSync(join(dir, 'ish.conf'), site);
  const temp = (name: string) => `${name}_temp_path ${join(dir, name)};`;
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    [
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'error.log')};`,
      // enough for a few hundred clients at once, each with its upstream connection
      'events { worker_connections 4096; }',
      `http { include /etc/nginx/mime.types; access_log off; ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join(' ')} include ${join(dir, 'ish.conf')}; }`,
    ].join('\n'),
  );
  return conf;
}

/** `nginx -t` of a site; returns nginx's output, throws with it when the test fails */
export function testNginxSite(dir: string, site: string): string {
  return run('nginx', ['-t', '-p', dir, '-e', join(dir, 'error.log'), '-c', writeNginxConf(dir, site)]);
}

export interface RunningNginx {
  stop(): Promise<void>;
}

/** A real nginx (Debian's) in the foreground serving `site` until stop(); waits until `port` takes connections. */
export async function startNginx(dir: string, site: string, port: number): Promise<RunningNginx> {
  testNginxSite(dir, site);
  const child: ChildProcess = spawn('nginx', ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    await waitFor(`nginx on ${port}`, async () => (child.exitCode === null ? isListening(port) : Promise.reject(new Error(readFileSync(join(dir, 'error.log'), 'utf8')))), 10_000, 50);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function isListening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** `count` ports free on 127.0.0.1 right now (the kernel picks them) */
export async function sparePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    servers.push(server);
    ports.push((server.address() as { port: number }).port);
  }
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
  return ports;
}
