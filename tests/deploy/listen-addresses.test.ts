import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SERVICE_NAMES } from '@ish/contracts';
import { APP_PORTS, REPO_ROOT } from '@ish/test-support';
import { readYamlDocuments } from './support/kustomize';
import { run } from './support/tools';

/** `address:port` of every listening TCP socket on this host (`ss -ltn`) */
function listening(): string[] {
  return run('ss', ['-Hltn'])
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[3])
    .filter(Boolean);
}

describe('where the apps listen (HOST)', () => {
  it('the shared bootstrap binds the address HOST names: the test stack (HOST=127.0.0.1) is on loopback only', () => {
    const sockets = listening();
    for (const service of SERVICE_NAMES) {
      const port = APP_PORTS[service];
      expect(`${service}: ${sockets.filter((s) => s.endsWith(`:${port}`)).join(' ')}`).toBe(`${service}: 127.0.0.1:${port}`);
    }
  });

  it('npm start runs the apps on 127.0.0.1 unless .env says otherwise: only the gateway is meant to be reached', () => {
    const script = readFileSync(resolve(REPO_ROOT, 'tools/start.sh'), 'utf8');
    const host = script.indexOf('export HOST=${HOST:-127.0.0.1}\n');
    expect(host).toBeGreaterThan(script.indexOf('. ./.env'));
    expect(host).toBeLessThan(script.indexOf('start_app auth'));
    const example = readFileSync(resolve(REPO_ROOT, '.env.example'), 'utf8');
    // a copied .env.example must not open the local apps up
    expect(example).toMatch(/^HOST=$/m);
  });

  it('containers listen on every interface, where the gateway reaches the apps over the network', () => {
    const compose = readYamlDocuments(resolve(REPO_ROOT, 'docker/docker-compose.yml'))[0] as { 'x-app': { environment: Record<string, string> } };
    expect(compose['x-app'].environment.HOST).toBe('0.0.0.0');
    const [config] = readYamlDocuments(resolve(REPO_ROOT, 'k8s/base/config.yaml')) as { data: Record<string, string> }[];
    expect(config.data.HOST).toBe('0.0.0.0');
  });
});
