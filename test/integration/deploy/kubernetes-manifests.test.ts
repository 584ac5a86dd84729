import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../support/service-process.js';
import { kustomize, schemaProblems, type K8sObject } from './helpers/kubernetes-schemas.js';
import { loadRuleGroups, ROOT } from './helpers/rule-files.js';

const K8S = join(ROOT, 'deploy/kubernetes');

/** Reads a path such as `spec.template.spec.containers.0.env` out of an object. */
function at(o: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, k) => (v === null || typeof v !== 'object' ? undefined : (v as Record<string, unknown>)[k]),
      o,
    );
}

interface Container {
  name: string;
  image: string;
  args: string[];
  env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  ports: { name: string; containerPort: number }[];
  startupProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}

describe('Kubernetes manifests (kustomize base and example overlay)', () => {
  let objects: K8sObject[];
  let version: string;
  const find = (kind: string, name: string): K8sObject => {
    const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
    if (!o)
      throw new Error(
        `no ${kind}/${name} in ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`,
      );
    return o;
  };
  const container = (deployment: string): Container =>
    at(find('Deployment', deployment), 'spec.template.spec.containers.0') as Container;
  const deployments = (): K8sObject[] => objects.filter((o) => o.kind === 'Deployment');

  beforeAll(() => {
    ({ objects, version } = kustomize(join(K8S, 'overlays/example')));
  });

  it('renders with kustomize into the objects the issue lists, in one namespace', () => {
    expect(version).toMatch(/Client Version/);
    expect(
      objects.map((o) => `${o.kind}/${o.metadata.name.replace(/-[a-z0-9]{10}$/, '-<hash>')}`).sort(),
    ).toEqual(
      [
        'ConfigMap/fsx-dr-policies-<hash>',
        'Deployment/fsx-dr-scheduler',
        'Deployment/fsx-dr-worker',
        'Namespace/fsx-dr',
        'PodDisruptionBudget/fsx-dr-scheduler',
        'PodDisruptionBudget/fsx-dr-worker',
        'PrometheusRule/fsx-dr',
        'Secret/fsx-dr-redis-<hash>',
        'Service/fsx-dr-metrics',
        'ServiceAccount/fsx-dr',
        'ServiceMonitor/fsx-dr',
      ].sort(),
    );
    for (const o of objects.filter((x) => x.kind !== 'Namespace')) {
      expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe('fsx-dr');
    }
  });

  it('every object is valid against the Kubernetes API schemas: types, required fields, no unknown field', async () => {
    expect(await schemaProblems(objects)).toEqual([]);
    const base = kustomize(join(K8S, 'base')).objects;
    const monitoring = kustomize(join(K8S, 'monitoring')).objects;
    expect(await schemaProblems([...base, ...monitoring])).toEqual([]);
  });

  it('fails on planted mistakes: a misspelt field, a field of the wrong type, a wrong field in a CRD', async () => {
    const planted = structuredClone(objects);
    const scheduler = planted.find((o) => o.kind === 'Deployment')!;
    const probe = at(scheduler, 'spec.template.spec.containers.0.readinessProbe.httpGet') as Record<
      string,
      unknown
    >;
    probe['pth'] = probe['path'];
    delete probe['path'];
    (scheduler['spec'] as Record<string, unknown>)['replicas'] = 'two';
    const monitor = planted.find((o) => o.kind === 'ServiceMonitor')!;
    (at(monitor, 'spec.endpoints.0') as Record<string, unknown>)['scrapeTimout'] = '10s';
    const problems = await schemaProblems(planted);
    expect(problems.join('\n')).toMatch(/Deployment\/fsx-dr-scheduler: .*spec\/replicas must be integer/);
    expect(problems.join('\n')).toMatch(
      /Deployment\/fsx-dr-scheduler: .*'pth' does not exist in type 'IHTTPGetAction'/,
    );
    expect(problems.join('\n')).toMatch(/ServiceMonitor\/fsx-dr: .*'scrapeTimout' does not exist in type/);
    // The wrong type is caught by both passes.
    expect(problems.join('\n')).toMatch(
      /Deployment\/fsx-dr-scheduler: Type 'string' is not assignable to type 'number'/,
    );
    expect(problems).toHaveLength(4);
  });

  it('a scheduler Deployment with two replicas and a worker Deployment, each running its role from the image', () => {
    expect(at(find('Deployment', 'fsx-dr-scheduler'), 'spec.replicas')).toBe(2);
    expect(at(find('Deployment', 'fsx-dr-worker'), 'spec.replicas')).toBeGreaterThanOrEqual(1);
    for (const [name, role] of [
      ['fsx-dr-scheduler', 'scheduler'],
      ['fsx-dr-worker', 'worker'],
    ] as const) {
      const c = container(name);
      expect(c.env.find((e) => e.name === 'FSXDR_ROLE')?.value).toBe(role);
      expect(c.image).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/fsx-dr-scheduler:0.1.0');
      expect(c.args).toEqual(['run', '--config', '/etc/fsx-dr']);
      expect(c.env.find((e) => e.name === 'AWS_REGION')?.value).toBe('us-east-1');
    }
  });

  it('probes /healthz and /readyz on the port the service listens on', () => {
    for (const d of deployments()) {
      const c = container(d.metadata.name);
      const port = Number(c.env.find((e) => e.name === 'FSXDR_HTTP_PORT')?.value);
      expect(c.ports).toEqual([{ name: 'http', containerPort: port, protocol: 'TCP' }]);
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(c.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    }
  });

  it('runs as the image’s non-root user under the restricted Pod Security Standard, and has time to shut down', () => {
    // The image's user, so that the pod and the image agree.
    const dockerfile = /^USER (\d+):(\d+)$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    for (const d of deployments()) {
      const pod = at(d, 'spec.template.spec') as Record<string, unknown>;
      expect(pod['securityContext']).toMatchObject({
        runAsNonRoot: true,
        runAsUser: Number(dockerfile?.[1]),
        runAsGroup: Number(dockerfile?.[2]),
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container(d.metadata.name).securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      // The process exits within 10 s of SIGTERM (9 s, then it forces itself out).
      expect(pod['terminationGracePeriodSeconds']).toBeGreaterThanOrEqual(15);
      expect(pod['terminationGracePeriodSeconds']).toBeLessThanOrEqual(60);
    }
    expect(at(find('Namespace', 'fsx-dr'), 'metadata.labels')).toEqual({
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });

  it('REDIS_URL from the Secret, the policies from the ConfigMap (valid for fsx-dr validate), the IRSA ServiceAccount', async () => {
    const secret = objects.find((o) => o.kind === 'Secret')!;
    const configMap = objects.find((o) => o.kind === 'ConfigMap')!;
    for (const d of deployments()) {
      const c = container(d.metadata.name);
      expect(c.env.find((e) => e.name === 'REDIS_URL')?.valueFrom?.secretKeyRef).toEqual({
        name: secret.metadata.name,
        key: 'url',
      });
      const pod = at(d, 'spec.template.spec') as Record<string, unknown>;
      expect(pod['serviceAccountName']).toBe('fsx-dr');
      expect(pod['volumes']).toContainEqual({
        name: 'policies',
        configMap: { name: configMap.metadata.name },
      });
      expect(c.volumeMounts).toContainEqual({ name: 'policies', mountPath: '/etc/fsx-dr', readOnly: true });
    }
    expect(Buffer.from(String(at(secret, 'data.url')), 'base64').toString()).toMatch(/^rediss?:\/\//);
    expect(at(find('ServiceAccount', 'fsx-dr'), 'metadata.annotations')).toMatchObject({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/fsx-dr-scheduler',
    });
    // The policies the pods would load pass the service's own validation.
    const dir = await mkdtemp(join(tmpdir(), 'fsxdr-k8s-policies-'));
    for (const [file, text] of Object.entries(at(configMap, 'data') as Record<string, string>)) {
      await writeFile(join(dir, file), text);
    }
    const validated = await runCli(['validate', '--config', dir]);
    expect(validated.stderr).toBe('');
    expect(validated.code).toBe(0);
  });

  it('the PodDisruptionBudgets, the Service and the ServiceMonitor select the pods and port they mean', () => {
    const labelsOf = (d: K8sObject) => at(d, 'spec.template.metadata.labels') as Record<string, string>;
    const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
      Object.entries(selector).every(([k, v]) => labels[k] === v);
    for (const d of deployments()) {
      const pdbs = objects.filter(
        (o) =>
          o.kind === 'PodDisruptionBudget' &&
          selects(at(o, 'spec.selector.matchLabels') as never, labelsOf(d)),
      );
      expect(pdbs, d.metadata.name).toHaveLength(1);
      expect(selects(at(find('Service', 'fsx-dr-metrics'), 'spec.selector') as never, labelsOf(d))).toBe(
        true,
      );
    }
    const service = find('Service', 'fsx-dr-metrics');
    const monitor = find('ServiceMonitor', 'fsx-dr');
    expect(selects(at(monitor, 'spec.selector.matchLabels') as never, service.metadata.labels ?? {})).toBe(
      true,
    );
    expect(at(monitor, 'spec.endpoints.0.port')).toBe(at(service, 'spec.ports.0.name'));
    // The rules expect job="fsx-dr" and a role label per target.
    expect(service.metadata.labels?.[String(at(monitor, 'spec.jobLabel'))]).toBe('fsx-dr');
    expect(at(monitor, 'spec.endpoints.0.relabelings')).toEqual([
      { sourceLabels: ['__meta_kubernetes_pod_label_app_kubernetes_io_component'], targetLabel: 'role' },
    ]);
  });

  it('the PrometheusRule carries exactly the promtool-tested rules of deploy/prometheus (npm run deploy:rules)', async () => {
    const rule = find('PrometheusRule', 'fsx-dr');
    expect(at(rule, 'spec.groups')).toEqual(await loadRuleGroups());
    expect(rule.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
  });

  it('the policies file of the base is valid too', async () => {
    const cm = kustomize(join(K8S, 'base')).objects.find((o) => o.kind === 'ConfigMap')!;
    const text = String((at(cm, 'data') as Record<string, string>)['policies.yaml']);
    expect(parse(text)).toMatchObject({ policies: [{ name: 'example' }] });
    const dir = await mkdtemp(join(tmpdir(), 'fsxdr-k8s-base-'));
    await writeFile(join(dir, 'policies.yaml'), text);
    expect((await runCli(['validate', '--config', dir])).code).toBe(0);
  });
});
