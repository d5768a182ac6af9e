import { readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as read from YAML. */
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [key: string]: unknown };

interface JsonPatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  generatorOptions?: { disableNameSuffixHash?: boolean };
  configMapGenerator?: { name: string; files: string[] }[];
  images?: { name: string; newName?: string; newTag?: string }[];
  replicas?: { name: string; count: number }[];
  patches?: { target: { kind?: string; name?: string; labelSelector?: string }; patch: string }[];
}

/** The fields of kustomization.yaml this builder implements; any other field is an error, never ignored. */
const SUPPORTED = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'generatorOptions', 'configMapGenerator', 'images', 'replicas', 'patches']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'IngressClass', 'PriorityClass']);
const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

/** Every YAML document of a file, as plain objects (empty documents skipped). */
export function readYamlDocuments(file: string): unknown[] {
  const documents = parseAllDocuments(readFileSync(file, 'utf8'), { merge: true });
  return documents.flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = document.toJS();
    return value === null || value === undefined ? [] : [value];
  });
}

/**
 * `kustomize build <dir>` for the subset of kustomize that k8s/ uses: resources (files and directories),
 * namespace, configMapGenerator (files, no hash suffix), images, replicas and JSON 6902 patches selected by
 * kind, name and label selector. Transformers run in kustomize's order: patches, namespace, replicas, images.
 */
export function kustomizeBuild(dir: string): K8sObject[] {
  const kustomization = readYamlDocuments(join(dir, 'kustomization.yaml'))[0] as Kustomization;
  const unsupported = Object.keys(kustomization).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0) throw new Error(`${dir}/kustomization.yaml: fields this builder does not implement: ${unsupported.join(', ')}`);

  const objects: K8sObject[] = [];
  for (const entry of kustomization.resources ?? []) {
    const path = resolve(dir, entry);
    if (statSync(path).isDirectory()) objects.push(...kustomizeBuild(path));
    else objects.push(...(readYamlDocuments(path) as K8sObject[]));
  }
  if (kustomization.configMapGenerator && !kustomization.generatorOptions?.disableNameSuffixHash) {
    throw new Error(`${dir}: configMapGenerator without disableNameSuffixHash (name hashing) is not implemented`);
  }
  for (const generator of kustomization.configMapGenerator ?? []) {
    const data = Object.fromEntries(generator.files.map((file) => [basename(file), readFileSync(resolve(dir, file), 'utf8')]));
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: generator.name }, data });
  }

  for (const { target, patch } of kustomization.patches ?? []) {
    const operations = JSON.parse(JSON.stringify(readYamlText(patch))) as JsonPatchOperation[];
    if (!Array.isArray(operations)) throw new Error(`${dir}: only JSON 6902 patches (a list of operations) are implemented`);
    const matched = objects.filter((object) => matchesTarget(object, target));
    if (matched.length === 0) throw new Error(`${dir}: patch target ${JSON.stringify(target)} matches no resource`);
    for (const object of matched) for (const operation of operations) applyOperation(object, operation);
  }
  if (kustomization.namespace) {
    for (const object of objects) if (!CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = kustomization.namespace;
  }
  for (const { name, count } of kustomization.replicas ?? []) {
    const matched = objects.filter((object) => SCALABLE.has(object.kind) && object.metadata.name === name);
    if (matched.length === 0) throw new Error(`${dir}: replicas for ${name} match no workload`);
    for (const object of matched) (object.spec as Record<string, unknown>).replicas = count;
  }
  for (const image of kustomization.images ?? []) for (const object of objects) setImages(object, image);
  return objects;
}

function readYamlText(text: string): unknown {
  const documents = parseAllDocuments(text);
  return documents[0].toJS();
}

function matchesTarget(object: K8sObject, target: { kind?: string; name?: string; labelSelector?: string }): boolean {
  if (target.kind && object.kind !== target.kind) return false;
  if (target.name && object.metadata.name !== target.name) return false;
  if (target.labelSelector) {
    const labels = object.metadata.labels ?? {};
    for (const requirement of target.labelSelector.split(',')) {
      const [key, value] = requirement.split('=').map((s) => s.trim());
      if (value === undefined) throw new Error(`label selector ${target.labelSelector}: only key=value is implemented`);
      if (labels[key] !== value) return false;
    }
  }
  return true;
}

/** RFC 6902 add / replace / remove on a JSON pointer (RFC 6901), as kustomize applies them. */
export function applyOperation(root: unknown, { op, path, value }: JsonPatchOperation): void {
  const tokens = path.split('/').slice(1).map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = tokens.pop();
  if (last === undefined) throw new Error(`JSON patch path ${path} addresses the whole document`);
  let parent = root as Record<string, unknown> | unknown[];
  for (const token of tokens) {
    const next = Array.isArray(parent) ? parent[Number(token)] : parent[token];
    if (next === null || typeof next !== 'object') throw new Error(`JSON patch path ${path}: ${token} does not exist`);
    parent = next as Record<string, unknown> | unknown[];
  }
  const copy = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new Error(`JSON patch path ${path}: bad index`);
    if (op === 'add') parent.splice(index, 0, copy);
    else if (index >= parent.length) throw new Error(`JSON patch ${op} ${path}: no such element`);
    else if (op === 'replace') parent[index] = copy;
    else parent.splice(index, 1);
    return;
  }
  if (op !== 'add' && !(last in parent)) throw new Error(`JSON patch ${op} ${path}: no such member`);
  if (op === 'remove') delete parent[last];
  else parent[last] = copy;
}

/** The images transformer: `name[:tag]` of every container whose image name matches gets newName/newTag. */
function setImages(object: K8sObject, image: { name: string; newName?: string; newTag?: string }): void {
  for (const container of podContainers(object)) {
    const match = /^(.*?)(?::([^:/]+))?$/.exec(container.image)!;
    if (match[1] !== image.name) continue;
    container.image = `${image.newName ?? match[1]}${image.newTag ? `:${image.newTag}` : match[2] ? `:${match[2]}` : ''}`;
  }
}

export interface Container {
  name: string;
  image: string;
  [key: string]: unknown;
}

/** The containers (and init containers) of a workload's pod template, or of a Pod. */
export function podContainers(object: K8sObject): Container[] {
  const spec = podSpec(object);
  if (!spec) return [];
  return [...((spec.initContainers as Container[] | undefined) ?? []), ...((spec.containers as Container[] | undefined) ?? [])];
}

export function podSpec(object: K8sObject): Record<string, unknown> | undefined {
  const spec = object.spec as Record<string, unknown> | undefined;
  if (object.kind === 'Pod') return spec;
  const template = spec?.template as { spec?: Record<string, unknown> } | undefined;
  return template?.spec;
}
