import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import {
  PrometheusRule,
  ServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { ROOT } from './rule-files.js';

/** `kubectl kustomize` is kustomize itself, built into kubectl (Debian: `apt-get install kubernetes-client`). */
export const KUBECTL_BIN = process.env['KUBECTL_BIN'] ?? 'kubectl';

export type K8sObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
};

/** Renders a kustomization the way kustomize renders it, and parses the stream of objects. */
export function kustomize(dir: string): { objects: K8sObject[]; version: string } {
  const r = spawnSync(KUBECTL_BIN, ['kustomize', dir], { encoding: 'utf8' });
  if (r.error) throw new Error(`${KUBECTL_BIN}: ${r.error.message} (apt-get install kubernetes-client)`);
  if (r.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${r.stderr}`);
  const v = spawnSync(KUBECTL_BIN, ['version', '--client'], { encoding: 'utf8' });
  const objects = parseAllDocuments(r.stdout).map((d) => d.toJS() as K8sObject);
  return { objects, version: `${v.stdout}`.trim().split('\n').join('; ') };
}

/** The model of each kind the manifests use: kubernetes-models carries the Kubernetes OpenAPI schemas. */
const MODELS = {
  'v1/ConfigMap': { model: ConfigMap, type: 'IConfigMap', from: 'kubernetes-models/v1/ConfigMap' },
  'v1/Namespace': { model: Namespace, type: 'INamespace', from: 'kubernetes-models/v1/Namespace' },
  'v1/Secret': { model: Secret, type: 'ISecret', from: 'kubernetes-models/v1/Secret' },
  'v1/Service': { model: Service, type: 'IService', from: 'kubernetes-models/v1/Service' },
  'v1/ServiceAccount': {
    model: ServiceAccount,
    type: 'IServiceAccount',
    from: 'kubernetes-models/v1/ServiceAccount',
  },
  'apps/v1/Deployment': {
    model: Deployment,
    type: 'IDeployment',
    from: 'kubernetes-models/apps/v1/Deployment',
  },
  'policy/v1/PodDisruptionBudget': {
    model: PodDisruptionBudget,
    type: 'IPodDisruptionBudget',
    from: 'kubernetes-models/policy/v1/PodDisruptionBudget',
  },
  'monitoring.coreos.com/v1/ServiceMonitor': {
    model: ServiceMonitor,
    type: 'IServiceMonitor',
    from: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor',
  },
  'monitoring.coreos.com/v1/PrometheusRule': {
    model: PrometheusRule,
    type: 'IPrometheusRule',
    from: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule',
  },
} as const;
type ModelKey = keyof typeof MODELS;

const keyOf = (o: K8sObject): string => `${o.apiVersion}/${o.kind}`;
const nameOf = (o: K8sObject): string => `${o.kind}/${o.metadata?.name ?? '?'}`;
const isModelKey = (k: string): k is ModelKey => Object.hasOwn(MODELS, k);

/**
 * Problems of each object against the Kubernetes API schemas, in two passes:
 * - the OpenAPI schema (types, enums, required fields, formats) through kubernetes-models' validators;
 * - unknown fields, which the OpenAPI schemas allow but the API server drops (or, with `kubectl apply`'s strict
 *   field validation, refuses): each object is type-checked by the TypeScript compiler against the same models'
 *   generated types, whose excess-property check names any field the schema does not have.
 */
export async function schemaProblems(objects: readonly K8sObject[]): Promise<string[]> {
  const out: string[] = [];
  for (const o of objects) {
    const key = keyOf(o);
    if (!isModelKey(key)) {
      out.push(`${nameOf(o)}: no schema for ${key}`);
      continue;
    }
    try {
      new MODELS[key].model(o as never).validate();
    } catch (err) {
      out.push(`${nameOf(o)}: ${(err as Error).message}`);
    }
  }
  return [...out, ...(await unknownFieldProblems(objects.filter((o) => isModelKey(keyOf(o)))))];
}

async function unknownFieldProblems(objects: readonly K8sObject[]): Promise<string[]> {
  // Inside the repository, so that the models resolve from its node_modules; .tmp/ is ignored by git.
  await mkdir(join(ROOT, '.tmp'), { recursive: true });
  const dir = await mkdtemp(join(ROOT, '.tmp', 'k8s-schema-'));
  try {
    const used = [...new Set(objects.map((o) => keyOf(o) as ModelKey))];
    const lines = used.map((k) => `import type { ${MODELS[k].type} } from '${MODELS[k].from}';`);
    objects.forEach((o, i) => {
      lines.push(
        `// ${nameOf(o)}`,
        `export const o${i}: ${MODELS[keyOf(o) as ModelKey].type} = ${JSON.stringify(o)};`,
      );
    });
    const file = join(dir, 'manifests.ts');
    await writeFile(file, `${lines.join('\n')}\n`);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: [],
    });
    return ts.getPreEmitDiagnostics(program).map((d) => {
      // JSON keys are quoted ('"pth"'); long inline types are cut to their start.
      const text = ts
        .flattenDiagnosticMessageText(d.messageText, ' ')
        .replace(/'"([^"]+)"'/g, "'$1'")
        .replace(/in type '(.{60}).*'\.$/, "in type '$1…'.");
      if (!d.file || d.start === undefined) return text;
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      const index = Number(/^export const o(\d+)/.exec(d.file.text.split('\n')[line] ?? '')?.[1]);
      const o = objects[index];
      return `${o ? nameOf(o) : `line ${line + 1}`}: ${text}`;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
