import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as yaml from 'yaml';
import { Findings, renderEnvironments } from '../src';
import { buildApp, ENVIRONMENTS } from '../src/main';
import { schemaErrors } from './support/k8s-schema';
import { podSpecOf, pssRestrictedViolations, qosOf, wiringProblems } from './support/pod-checks';
import { KubeObject } from './support/synth';

const ROOT = path.resolve(__dirname, '..', 'dist');
const DIST = path.join(ROOT, 'prod');

function distObjects(): KubeObject[] {
  return fs.readdirSync(DIST).filter(f => f.endsWith('.yaml')).sort()
    .flatMap(f => yaml.parseAllDocuments(fs.readFileSync(path.join(DIST, f), 'utf8')).map(d => d.toJS() as KubeObject));
}

function filesUnder(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => (e.isDirectory() ? filesUnder(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`])).sort();
}

describe('reference app (src/main.ts) and the committed dist/', () => {
  const objects = distObjects();
  const workloads = objects.filter(o => podSpecOf(o) !== undefined);

  test('dogfoods monitoring: the API scraped through a ServiceMonitor with its alerts, the nightly report with alerts only', () => {
    const of = (kind: string) => objects.filter(o => o.kind === kind).map(o => o.metadata.name);
    expect(of('ServiceMonitor')).toEqual(['api']);
    expect(of('PrometheusRule')).toEqual(['api-alerts', 'nightly-report-alerts']);
    const api = objects.find(o => o.kind === 'Deployment' && o.metadata.name === 'api')!;
    expect(Object.keys(api.spec.template.metadata.annotations).filter(k => k.startsWith('prometheus.io/'))).toEqual([]);
    // The Flux Kustomization of each environment points at its folder.
    for (const env of ENVIRONMENTS) expect(yaml.parse(fs.readFileSync(path.join(ROOT, 'flux', `platform-${env.name}.yaml`), 'utf8')).spec.path).toBe(`./dist/${env.name}`);
  });

  test('dist/ is exactly what the app synthesizes now, for every environment', () => {
    const rendered = renderEnvironments({
      environments: ENVIRONMENTS,
      build: (app, env) => buildApp(app, env),
      argoCd: { appName: 'platform', repoURL: 'https://git.acme.example/platform/deploy.git', path: 'dist', servers: Object.fromEntries(ENVIRONMENTS.map(e => [e.name, e.server])) },
      flux: { appName: 'platform', gitRepository: 'platform-deploy', path: 'dist', dependsOn: ['platform-crds'] },
    });
    // Plus the marker listing what seaworthy wrote (see writeManifests).
    expect(filesUnder(ROOT)).toEqual(['.seaworthy-output', ...[...rendered.keys()].sort()]);
    expect(fs.readFileSync(path.join(ROOT, '.seaworthy-output'), 'utf8').split('\n').filter(l => l && !l.startsWith('#'))).toEqual([...rendered.keys()].sort());
    for (const [file, text] of rendered) expect(fs.readFileSync(path.join(ROOT, file), 'utf8')).toBe(text);
    expect(filesUnder(ROOT).filter(f => f.startsWith('prod/'))).toEqual(['prod/hello.k8s.yaml', 'prod/infra.k8s.yaml', 'prod/logging.k8s.yaml', 'prod/shop.k8s.yaml']);
  });

  test('environments differ only in their values', () => {
    const api = (env: string) => yaml.parseAllDocuments(fs.readFileSync(path.join(ROOT, env, 'shop.k8s.yaml'), 'utf8')).map(d => d.toJS() as KubeObject).find(o => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'api')!;
    expect([api('dev').spec.maxReplicas, api('staging').spec.maxReplicas, api('prod').spec.maxReplicas]).toEqual([3, 4, 8]);
    expect(fs.readFileSync(path.join(ROOT, 'dev', 'hello.k8s.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'staging', 'hello.k8s.yaml'), 'utf8'));
    // prod targets an older minor: only the Pod Security policy version differs.
    expect(fs.readFileSync(path.join(ROOT, 'prod', 'hello.k8s.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'dev', 'hello.k8s.yaml'), 'utf8').replace('enforce-version: v1.35', 'enforce-version: v1.33'));
  });

  test('every object of every environment is valid against the strict schema of the environment\'s target', () => {
    expect(objects.length).toBeGreaterThanOrEqual(40);
    expect(ENVIRONMENTS.map(e => `${e.name}:${e.kubernetesVersion}`)).toEqual(['dev:1.35', 'staging:1.35', 'prod:1.33']);
    for (const env of ENVIRONMENTS) {
      const dir = path.join(ROOT, env.name);
      const all = fs.readdirSync(dir).flatMap(f => yaml.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => d.toJS() as KubeObject));
      expect(schemaErrors(all, env.kubernetesVersion!)).toEqual([]);
      for (const ns of all.filter(o => o.kind === 'Namespace' && o.metadata.labels['pod-security.kubernetes.io/enforce'])) {
        expect(ns.metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe(`v${env.kubernetesVersion}`);
      }
    }
  });

  test('sidecars are native on the targets: they start before the app and let the nightly Job complete', () => {
    for (const name of ['api', 'nightly-report']) {
      const pod = podSpecOf(workloads.find(w => w.metadata.name === name)!)!;
      expect(pod.containers.map((c: KubeObject) => c.name)).toEqual([name]);
      const sidecar = pod.initContainers.find((c: KubeObject) => c.name === 'otel-agent');
      expect(sidecar.restartPolicy).toBe('Always');
      expect(sidecar.readinessProbe.httpGet.port).toBe('otel-health');
    }
  });

  test('every Pod is Guaranteed and passes PSS restricted, except node agents under recorded waivers in privileged namespaces', () => {
    expect(workloads.map(w => `${w.kind}/${w.metadata.name}`).sort()).toEqual([
      'CronJob/nightly-report', 'DaemonSet/fluent-bit', 'Deployment/api', 'Deployment/hello', 'Deployment/orders-worker', 'Deployment/web', 'Job/migrate-4-2-0', 'StatefulSet/postgres',
    ]);
    const namespaces = new Map(objects.filter(o => o.kind === 'Namespace').map(o => [o.metadata.name, o.metadata.labels['pod-security.kubernetes.io/enforce']]));
    for (const w of workloads) {
      const pod = podSpecOf(w)!;
      expect(qosOf(pod)).toBe('Guaranteed');
      if (w.metadata.annotations?.['seaworthy.dev/waivers']) {
        expect(namespaces.get(w.metadata.namespace)).toBe('privileged');
      } else {
        expect(pssRestrictedViolations(pod, w.metadata.name)).toEqual([]);
        expect(namespaces.get(w.metadata.namespace)).toBe('restricted');
      }
    }
  });

  test('each Service targets its Pods\' ports; each PDB and NetworkPolicy selects its Pods', () => {
    expect(wiringProblems(objects)).toEqual([]);
    for (const w of workloads.filter(x => ['Deployment', 'StatefulSet'].includes(x.kind))) {
      expect(objects.some(o => o.kind === 'PodDisruptionBudget' && o.metadata.name === `${w.metadata.name}-pdb`)).toBe(true);
    }
    for (const w of workloads) expect(objects.some(o => o.kind === 'NetworkPolicy' && o.metadata.name === `${w.metadata.name}-netpol`)).toBe(true);
  });

  test('traffic is declared once and rendered on both sides', () => {
    const policy = (name: string) => objects.find(o => o.kind === 'NetworkPolicy' && o.metadata.name === `${name}-netpol`)!;
    const selects = (peers: KubeObject[] | undefined, app: string) => (peers ?? []).some(p => p.podSelector?.matchLabels?.['app.kubernetes.io/name'] === app);
    expect(policy('postgres').spec.ingress.some((r: KubeObject) => selects(r.from, 'api'))).toBe(true);
    expect(policy('api').spec.egress.some((r: KubeObject) => selects(r.to, 'postgres') && r.ports[0].port === 5432)).toBe(true);
    expect(policy('migrate-4-2-0').spec.egress.some((r: KubeObject) => selects(r.to, 'postgres'))).toBe(true);
    expect(policy('web').spec.egress.some((r: KubeObject) => selects(r.to, 'api'))).toBe(true);
  });

  test('the tenant quota fits the rollout peak and the database config rolls the Pods', () => {
    const sts = workloads.find(w => w.kind === 'StatefulSet')!;
    expect(sts.spec.template.metadata.annotations['seaworthy.dev/config-hash']).toMatch(/^[0-9a-f]{16}$/);
    expect(podSpecOf(sts)!.containers[0].volumeMounts).toContainEqual({ name: 'postgres-config', mountPath: '/etc/postgresql/postgresql.conf', subPath: 'postgresql.conf' });
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('50Gi');
    const job = workloads.find(w => w.kind === 'Job')!;
    expect(podSpecOf(job)!.initContainers[0].name).toBe('wait-for-db');
  });

  test('the graceful HTTP server: graceful start and stop, log level as configuration', () => {
    const pod = podSpecOf(workloads.find(w => w.metadata.name === 'hello')!)!;
    const c = pod.containers[0];
    expect(c.startupProbe.httpGet.path).toBe('/ready');
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBeGreaterThanOrEqual(60);
    expect(c.readinessProbe.httpGet.path).not.toBe(c.livenessProbe.httpGet.path);
    // prod targets 1.33, which has the kubelet's sleep action: no sleep binary needed in the image.
    expect(c.lifecycle.preStop).toEqual({ sleep: { seconds: 5 } });
    expect(pod.terminationGracePeriodSeconds).toBe(5 + 20 + 5);
    const logLevel = c.env.find((e: KubeObject) => e.name === 'LOG_LEVEL');
    const configMap = objects.find(o => o.kind === 'ConfigMap' && o.metadata.name === logLevel.valueFrom.configMapKeyRef.name);
    expect(configMap?.data.LOG_LEVEL).toBe('info');
  });

  test('secrets hygiene: no Secret in dist/ carries data, and no env value is a literal for a secret-looking name', () => {
    const all = filesUnder(ROOT).filter(f => f.endsWith('.yaml')).flatMap(f => yaml.parseAllDocuments(fs.readFileSync(path.join(ROOT, f), 'utf8')).map(d => d.toJS() as KubeObject));
    expect(all.filter(o => o.kind === 'Secret' && (o.data || o.stringData))).toEqual([]);
    const literals = all.flatMap(o => (podSpecOf(o)?.containers ?? []).flatMap((c: KubeObject) => (c.env ?? []).filter((e: KubeObject) => e.value !== undefined && /PASSWORD|TOKEN|SECRET|API_?KEY/i.test(e.name))));
    expect(literals).toEqual([]);
  });

  test('namespaces are cluster-scoped, and the app reports only the known trade-offs', () => {
    for (const ns of objects.filter(o => o.kind === 'Namespace')) expect(ns.metadata.namespace).toBeUndefined();
    expect(Findings.of(buildApp(Testing.app())).map(f => `${f.rule.id} ${f.severity} ${f.path}`)).toEqual([
      'SW-PDB-002 warning shop/Postgres',
      'SW-SEC-001 info logging/FluentBit',
      'SW-SEC-010 info logging/FluentBit',
      'SW-SEC-004 info logging/FluentBit',
      'SW-SEC-004 info logging/FluentBit',
      'SW-NETPOL-004 info infra/PublicGateway',
    ]);
  });
});
