import { resolve } from 'node:path';
import ts from 'typescript';
import type { K8sObject } from './kustomize';

/**
 * Schema validation of Kubernetes objects with the `kubernetes-models` packages: their ajv validators
 * (generated from the Kubernetes OpenAPI and the KEDA CRDs) check types, required fields and enums. The
 * OpenAPI does not forbid unknown fields (the API server does, with strict field validation), so a second
 * pass walks each object along the package's TypeScript declarations of the same schema and reports any
 * field the kind does not have, as `kubectl apply --validate=strict` would.
 */
export function validateK8sObjects(objects: K8sObject[]): string[] {
  const errors: string[] = [];
  for (const object of objects) {
    const where = `${object.kind}/${object.metadata?.name}`;
    const model = loadModel(object.apiVersion, object.kind);
    if (!model) {
      errors.push(`${where}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new model(object).validate();
    } catch (error) {
      errors.push(`${where}: ${(error as Error).message}`);
    }
  }
  errors.push(...unknownFields(objects));
  return errors;
}

type ModelClass = new (data: unknown) => { validate(): void };

function modulePath(apiVersion: string, kind: string): string {
  return apiVersion.startsWith('keda.sh/') ? `@kubernetes-models/keda/${apiVersion}/${kind}` : `kubernetes-models/${apiVersion}/${kind}`;
}

function loadModel(apiVersion: string, kind: string): ModelClass | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(modulePath(apiVersion, kind)) as Record<string, ModelClass>)[kind];
  } catch {
    return undefined;
  }
}

function unknownFields(objects: K8sObject[]): string[] {
  const kinds = [...new Set(objects.filter((o) => loadModel(o.apiVersion, o.kind)).map((o) => `${o.apiVersion}|${o.kind}`))];
  const virtual = resolve(__dirname, '__k8s_kinds__.ts');
  const source =
    kinds.map((key, i) => `import type { I${key.split('|')[1]} as K${i} } from '${modulePath(...(key.split('|') as [string, string]))}';`).join('\n') +
    `\nexport interface Kinds { ${kinds.map((key, i) => `'${key}': K${i};`).join(' ')} }\n`;
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, moduleResolution: ts.ModuleResolutionKind.Node10, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, types: [] };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) => (name === virtual ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === virtual || fileExists(name);
  const program = ts.createProgram([virtual], options, host);
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(virtual)!;
  const kindsSymbol = checker.getExportsOfModule(checker.getSymbolAtLocation(file)!).find((s) => s.name === 'Kinds')!;
  const kindsType = checker.getDeclaredTypeOfSymbol(kindsSymbol);

  const errors: string[] = [];
  const walk = (value: unknown, type: ts.Type, path: string): void => {
    if (value === null || typeof value !== 'object') return;
    const members = (type.isUnion() ? type.types : [type]).map((t) => checker.getNonNullableType(t)).filter((t) => t.flags & ts.TypeFlags.Object);
    if (members.length === 0) return;
    if (Array.isArray(value)) {
      const element = members.map((t) => checker.getIndexTypeOfType(t, ts.IndexKind.Number)).find(Boolean);
      if (element) value.forEach((item, i) => walk(item, element, `${path}/${i}`));
      return;
    }
    const target = members[0];
    const index = checker.getIndexTypeOfType(target, ts.IndexKind.String);
    for (const [key, child] of Object.entries(value)) {
      const property = checker.getPropertyOfType(target, key);
      if (property) walk(child, checker.getTypeOfSymbol(property), `${path}/${key}`);
      else if (index) walk(child, index, `${path}/${key}`);
      else errors.push(`${path}/${key}: no such field`);
    }
  };
  for (const object of objects) {
    const property = checker.getPropertyOfType(kindsType, `${object.apiVersion}|${object.kind}`);
    if (property) walk(object, checker.getTypeOfSymbol(property), `${object.kind}/${object.metadata?.name}`);
  }
  return errors;
}
