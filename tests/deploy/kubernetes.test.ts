import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { QUEUES, REDIS_KEYS, SERVICE_NAMES } from '@ish/contracts';
import { REPO_ROOT } from '@ish/test-support';
import { appConfigError } from './support/app-configs';
import { validateK8sObjects } from './support/k8s-schema';
import { Container, K8sObject, kustomizeBuild, podContainers, podSpec, readYamlDocuments } from './support/kustomize';
import { hasBinary, run } from './support/tools';

const K8S = resolve(REPO_ROOT, 'k8s');
const BUILDS = ['base', 'overlays/dev', 'overlays/prod'];
const APP_PORTS: Record<string, number> = { auth: 8001, relay: 8002, 'instance-manager': 8003, 'android-bridge': 8004, worker: 8005 };

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

const built: Record<string, K8sObject[]> = Object.fromEntries(BUILDS.map((dir) => [dir, kustomizeBuild(resolve(K8S, dir))]));
const find = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const workloads = (objects: K8sObject[]) => objects.filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind));
const podLabels = (object: K8sObject) => ((object.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels);
const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('Kubernetes manifests (k8s/)', () => {
  it('parses every YAML file under k8s/', () => {
    const files = yamlFiles(K8S);
    expect(files.length).toBeGreaterThan(15);
    for (const file of files) {
      for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) expect(`${relative(K8S, file)}: ${document.errors.map((e) => e.message)}`).toBe(`${relative(K8S, file)}: `);
    }
  });

  it('uses every manifest: each is a resource of a kustomization, or the documented no-KEDA fallback', () => {
    const referenced = new Set<string>();
    for (const file of yamlFiles(K8S).filter((f) => f.endsWith('kustomization.yaml'))) {
      referenced.add(file);
      const kustomization = readYamlDocuments(file)[0] as { resources?: string[] };
      for (const entry of kustomization.resources ?? []) referenced.add(resolve(file, '..', entry));
    }
    const unused = yamlFiles(K8S).filter((f) => !referenced.has(f) && !f.startsWith(join(K8S, 'fallback')));
    expect(unused.map((f) => relative(K8S, f))).toEqual([]);
  });

  it.each(BUILDS)('%s builds and validates against the Kubernetes and KEDA schemas, unknown fields included', (dir) => {
    const objects = built[dir];
    expect(objects.length).toBeGreaterThan(30);
    expect(validateK8sObjects(objects)).toEqual([]);
    const keys = objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(keys.length).toBe(new Set(keys).size);
    for (const object of objects) if (object.kind !== 'Namespace') expect(`${object.kind}/${object.metadata.name} in ${object.metadata.namespace}`).toBe(`${object.kind}/${object.metadata.name} in ish-chat`);
  });

  it('validates the no-KEDA fallback HPA, which targets the worker', () => {
    const objects = readYamlDocuments(resolve(K8S, 'fallback/worker-hpa.yaml')) as K8sObject[];
    expect(validateK8sObjects(objects)).toEqual([]);
    expect(objects[0].spec).toEqual(expect.objectContaining({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' } }));
  });

  it('builds what `kubectl kustomize` builds, where kubectl is installed', () => {
    if (!hasBinary('kubectl')) {
      console.log('kubectl is not installed: the kustomize output of tests/deploy/support/kustomize.ts is not cross-checked');
      return;
    }
    const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    for (const dir of BUILDS) {
      const theirs = parseAllDocuments(run('kubectl', ['kustomize', resolve(K8S, dir)])).map((d) => d.toJS() as K8sObject);
      const byKey = (objects: K8sObject[]) => Object.fromEntries(objects.map((o) => [key(o), o]));
      expect(byKey(built[dir])).toEqual(byKey(theirs));
    }
  });

  describe.each(BUILDS)('%s', (dir) => {
    const objects = built[dir];

    it('gives every workload container liveness and readiness probes and resource requests and limits', () => {
      for (const workload of workloads(objects)) {
        for (const container of podContainers(workload)) {
          const where = `${workload.kind}/${workload.metadata.name}/${container.name}`;
          if (workload.kind !== 'Job') {
            expect(`${where}: ${Boolean(container.livenessProbe)} ${Boolean(container.readinessProbe)}`).toBe(`${where}: true true`);
          }
          const resources = container.resources as { requests?: Record<string, string>; limits?: Record<string, string> } | undefined;
          expect(`${where}: ${Object.keys(resources?.requests ?? {}).sort()} / ${Object.keys(resources?.limits ?? {}).sort()}`).toBe(`${where}: cpu,memory / cpu,memory`);
        }
      }
    });

    it('runs every pod as non-root without privileges (restricted Pod Security Standard)', () => {
      const namespace = find(objects, 'Namespace', 'ish-chat')!;
      expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
      for (const workload of workloads(objects)) {
        const spec = podSpec(workload)!;
        const pod = spec.securityContext as { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
        expect(`${workload.metadata.name}: ${pod.runAsNonRoot} ${pod.runAsUser! > 0} ${pod.seccompProfile?.type}`).toBe(`${workload.metadata.name}: true true RuntimeDefault`);
        expect(spec.automountServiceAccountToken).toBe(false);
        for (const container of podContainers(workload)) {
          const context = container.securityContext as { allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } };
          expect(`${container.name}: ${context.allowPrivilegeEscalation} ${context.capabilities?.drop}`).toBe(`${container.name}: false ALL`);
        }
      }
    });

    it('runs each app from its image, probing /health (liveness) and /health/ready (readiness) on its PORT, behind a Service', () => {
      for (const service of SERVICE_NAMES) {
        const deployment = find(objects, 'Deployment', service)!;
        const [container] = podContainers(deployment) as (Container & { env: { name: string; value: string }[]; ports: { name: string; containerPort: number }[] })[];
        expect(container.image).toMatch(new RegExp(`(^|/)ish-chat/${service}:[\\w.-]+$`));
        expect(container.env).toContainEqual({ name: 'PORT', value: String(APP_PORTS[service]) });
        expect(container.ports).toEqual([{ name: 'http', containerPort: APP_PORTS[service] }]);
        expect(container.livenessProbe).toEqual(expect.objectContaining({ httpGet: { path: '/health', port: 'http' } }));
        expect(container.readinessProbe).toEqual(expect.objectContaining({ httpGet: { path: '/health/ready', port: 'http' } }));
        const svc = find(objects, 'Service', service)!;
        const spec = svc.spec as { selector: Record<string, string>; ports: { port: number; targetPort: string }[] };
        expect(spec.ports).toEqual([expect.objectContaining({ port: APP_PORTS[service], targetPort: 'http' })]);
        expect(matches(spec.selector, podLabels(deployment))).toBe(true);
        expect(podLabels(deployment)['ish-chat.io/datastore-client']).toBe('true');
      }
    });

    it('points HEALTH_TARGETS at the app Services', () => {
      const config = find(objects, 'ConfigMap', 'ish-config')!.data as Record<string, string>;
      const targets = Object.fromEntries(config.HEALTH_TARGETS.split(',').map((pair) => pair.split('=')));
      expect(targets).toEqual(Object.fromEntries(SERVICE_NAMES.map((s) => [s, `http://${s}:${APP_PORTS[s]}`])));
    });

    it('refers only to ConfigMaps, Secrets and keys that exist', () => {
      const secret = find(objects, 'Secret', 'ish-secrets')!.stringData as Record<string, string>;
      for (const workload of workloads(objects)) {
        for (const container of podContainers(workload)) {
          for (const source of (container.envFrom as { configMapRef?: { name: string }; secretRef?: { name: string } }[] | undefined) ?? []) {
            if (source.configMapRef) expect(find(objects, 'ConfigMap', source.configMapRef.name)).toBeDefined();
            if (source.secretRef) expect(find(objects, 'Secret', source.secretRef.name)).toBeDefined();
          }
          for (const variable of (container.env as { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[] | undefined) ?? []) {
            const ref = variable.valueFrom?.secretKeyRef;
            if (ref) expect(`${ref.name}/${ref.key}: ${ref.key in secret}`).toBe(`ish-secrets/${ref.key}: true`);
          }
        }
        for (const volume of (podSpec(workload)!.volumes as { configMap?: { name: string } }[] | undefined) ?? []) {
          if (volume.configMap) expect(find(objects, 'ConfigMap', volume.configMap.name)).toBeDefined();
        }
      }
    });

    it('sets every app variable of .env.example in the ConfigMap or the Secret', () => {
      const config = find(objects, 'ConfigMap', 'ish-config')!.data as Record<string, string>;
      const secret = find(objects, 'Secret', 'ish-secrets')!.stringData as Record<string, string>;
      const localOnly = new Set(['PORT', 'APP_VERSION', 'WORKERS', 'STACK_NAME', 'GATEWAY_PORT', 'IMAGE_TAG', 'GRAFANA_ADMIN_PASSWORD', 'PROVIDER_SIM_PORT',
        'AUTH_PORT', 'RELAY_PORT', 'INSTANCE_MANAGER_PORT', 'ANDROID_BRIDGE_PORT', 'WORKER_PORT', 'ANDROID_SIMULATOR', 'ANDROID_SIMULATOR_DEVICES', 'ANDROID_SIMULATOR_PORT',
        // the gateway's: its Deployment sets them (TLS ends at the Ingress)
        'GATEWAY_TLS_CERT', 'GATEWAY_TLS_KEY', 'GATEWAY_TLS_PORT', 'GATEWAY_RATE_LIMIT', 'GATEWAY_RATE_BURST', 'GATEWAY_TRUSTED_PROXIES']);
      const documented = [...readFileSync(resolve(REPO_ROOT, '.env.example'), 'utf8').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
      expect(documented.filter((name) => !localOnly.has(name) && !(name in config) && !(name in secret))).toEqual([]);
    });

    it('routes the Ingress to the gateway, which renders the shared nginx template', () => {
      const ingress = find(objects, 'Ingress', 'ish-chat')!;
      const backends = (ingress.spec as { rules: { http: { paths: { path: string; backend: { service: { name: string; port: { name: string } } } }[] } }[] }).rules.flatMap((r) => r.http.paths);
      expect(backends.map((p) => p.path)).toContain('/');
      for (const path of backends) expect(path.backend.service).toEqual({ name: 'gateway', port: { name: 'http' } });
      expect((find(objects, 'Service', 'gateway')!.spec as { ports: { name: string }[] }).ports[0].name).toBe('http');
      const template = find(objects, 'ConfigMap', 'gateway-template')!.data as Record<string, string>;
      expect(template['ish.conf.template']).toBe(readFileSync(resolve(REPO_ROOT, 'docker/nginx/templates/ish.conf.template'), 'utf8'));
      const gateway = find(objects, 'Deployment', 'gateway')!;
      expect(podSpec(gateway)!.volumes).toContainEqual({ name: 'templates', configMap: { name: 'gateway-template' } });
    });

    it('scales the relay with an HPA and the worker with KEDA on the BullMQ wait lists', () => {
      const hpa = find(objects, 'HorizontalPodAutoscaler', 'relay')!.spec as { scaleTargetRef: { name: string }; minReplicas: number; maxReplicas: number };
      expect(hpa.scaleTargetRef.name).toBe('relay');
      expect(hpa.maxReplicas).toBeGreaterThan(hpa.minReplicas);
      const scaled = find(objects, 'ScaledObject', 'worker')!.spec as {
        scaleTargetRef: { name: string };
        triggers: { type: string; metadata: Record<string, string>; authenticationRef?: { name: string } }[];
      };
      expect(scaled.scaleTargetRef.name).toBe('worker');
      const lists = scaled.triggers.filter((t) => t.type === 'redis').map((t) => t.metadata.listName);
      expect(lists.sort()).toEqual(Object.values(QUEUES).map(REDIS_KEYS.bullWaitList).sort());
      for (const trigger of scaled.triggers.filter((t) => t.type === 'redis')) {
        expect(trigger.metadata.address).toBe('redis.ish-chat.svc.cluster.local:6379');
        const auth = find(objects, 'TriggerAuthentication', trigger.authenticationRef!.name)!.spec as { secretTargetRef: { name: string; key: string }[] };
        for (const ref of auth.secretTargetRef) expect(ref.key in (find(objects, 'Secret', ref.name)!.stringData as object)).toBe(true);
      }
      expect(find(objects, 'Service', 'redis')).toBeDefined();
    });

    it('has a PodDisruptionBudget selecting each app and the gateway', () => {
      for (const name of [...SERVICE_NAMES, 'gateway']) {
        const pdb = find(objects, 'PodDisruptionBudget', name)!.spec as { selector: { matchLabels: Record<string, string> } };
        const selected = workloads(objects).filter((w) => w.kind === 'Deployment' && matches(pdb.selector.matchLabels, podLabels(w)));
        expect(selected.map((w) => w.metadata.name)).toEqual([name]);
      }
    });

    it('lets only the apps and the migration reach the data stores', () => {
      const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
      expect(policies.find((p) => JSON.stringify((p.spec as { podSelector: object }).podSelector) === '{}')).toBeDefined();
      const datastores = policies.find((p) => p.metadata.name === 'datastores-from-apps')!.spec as {
        podSelector: { matchLabels: Record<string, string> };
        ingress: { from: { podSelector: { matchLabels: Record<string, string> } }[] }[];
      };
      const stores = workloads(objects).filter((w) => matches(datastores.podSelector.matchLabels, podLabels(w))).map((w) => w.metadata.name);
      expect(stores.sort()).toEqual(['postgres', 'rabbitmq', 'redis']);
      const clients = workloads(objects).filter((w) => datastores.ingress[0].from.some((f) => matches(f.podSelector.matchLabels, podLabels(w)))).map((w) => w.metadata.name);
      expect(clients.sort()).toEqual(['ish-migrate', ...SERVICE_NAMES].sort());
    });

    it('migrates with a Job running the migration script of an app image', () => {
      const job = find(objects, 'Job', 'ish-migrate')!;
      const [container] = podContainers(job) as (Container & { command: string[] })[];
      expect(container.command).toEqual(['node', 'dist/tools/db/migrate.js']);
      expect(container.image).toMatch(/(^|\/)ish-chat\/auth:/);
    });

    it('runs Redis with AOF and noeviction', () => {
      const [redis] = podContainers(find(objects, 'StatefulSet', 'redis')!) as (Container & { args: string[] })[];
      expect(redis.args.join(' ')).toContain('--appendonly yes --maxmemory-policy noeviction');
    });
  });

  it('gives the apps an environment their own config validation accepts (dev), and rejects the base placeholders', () => {
    const envOf = (dir: string, service: string) => ({
      ...(find(built[dir], 'ConfigMap', 'ish-config')!.data as Record<string, string>),
      ...(find(built[dir], 'Secret', 'ish-secrets')!.stringData as Record<string, string>),
      PORT: String(APP_PORTS[service]),
    });
    for (const service of SERVICE_NAMES) {
      expect(`${service}: ${appConfigError(service, envOf('overlays/dev', service))}`).toBe(`${service}: undefined`);
      // every app behind the gateway authenticates callers; the worker does not, and needs only the sealing key
      if (service !== 'worker') expect(appConfigError(service, envOf('base', service))).toMatch(/JWT_KEYS/);
    }
    for (const service of ['instance-manager', 'relay', 'worker'] as const) expect(appConfigError(service, envOf('base', service))).toMatch(/INSTANCE_KEY_ENCRYPTION_KEY/);
    // webhooks (and their sealed secrets) live in the relay: auth seals nothing
    expect(appConfigError('auth', envOf('base', 'auth'))).not.toMatch(/INSTANCE_KEY_ENCRYPTION_KEY/);
    expect(appConfigError('auth', envOf('base', 'auth'))).toMatch(/ISH_ADMIN_API_KEY/);
  });

  it('differs per overlay in replicas, resources and image tags', () => {
    const replicas = (dir: string, name: string) => (find(built[dir], 'Deployment', name)!.spec as { replicas: number }).replicas;
    const image = (dir: string, name: string) => podContainers(find(built[dir], 'Deployment', name)!)[0].image;
    const limits = (dir: string, name: string) => (podContainers(find(built[dir], 'Deployment', name)!)[0].resources as { limits: Record<string, string> }).limits;
    expect(replicas('overlays/dev', 'relay')).toBe(1);
    expect(replicas('overlays/prod', 'relay')).toBeGreaterThan(replicas('base', 'relay'));
    expect(image('overlays/dev', 'relay')).toBe('ish-chat/relay:dev');
    expect(image('overlays/prod', 'relay')).toMatch(/^[\w.-]+\/ish-chat\/relay:\d+\.\d+\.\d+$/);
    // the gateway image carries the console: released with the apps, same tag
    expect(image('overlays/dev', 'gateway')).toBe('ish-chat/gateway:dev');
    expect(image('overlays/prod', 'gateway')).toBe(image('overlays/prod', 'relay').replace('/relay:', '/gateway:'));
    expect(podContainers(find(built['overlays/prod'], 'Job', 'ish-migrate')!)[0].image).toBe(image('overlays/prod', 'auth'));
    expect(limits('overlays/dev', 'relay')).not.toEqual(limits('overlays/prod', 'relay'));
    const prodIngress = find(built['overlays/prod'], 'Ingress', 'ish-chat')!.spec as { tls?: unknown[]; rules: { host?: string }[] };
    expect(prodIngress.tls?.length).toBe(1);
    expect(prodIngress.rules[0].host).toBeTruthy();
    // the base ships placeholder secrets that fail the apps' config validation instead of working
    const baseSecret = find(built.base, 'Secret', 'ish-secrets')!.stringData as Record<string, string>;
    expect(baseSecret.JWT_KEYS).toBe('CHANGE-ME');
    expect((find(built['overlays/dev'], 'Secret', 'ish-secrets')!.stringData as Record<string, string>).JWT_KEYS).toMatch(/^\w+:.{32,}$/);
  });
});
