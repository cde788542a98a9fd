import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as yaml from 'yaml';
import { DisruptionBudget, Environment, KubernetesTarget, KubernetesVersion, Probe, Profile, renderEnvironments, SeaworthyError, Tenant, WebService, writeEnvironments } from '../src';
import { schemaErrors } from './support/k8s-schema';
import { thrownBy } from './support/synth';

interface ShopEnv extends Environment {
  readonly replicas: number;
  readonly tag: string;
  readonly memoryMiB: number;
}

const envs: ShopEnv[] = [
  { name: 'dev', profile: Profile.DEVELOPMENT, replicas: 1, tag: '2.0.0-rc.1', memoryMiB: 256 },
  { name: 'staging', profile: Profile.STAGING, replicas: 2, tag: '1.9.0', memoryMiB: 512 },
  { name: 'prod', replicas: 4, tag: '1.8.3', memoryMiB: 1024 },
];

function build(app: App, env: ShopEnv): void {
  const tenant = new Tenant(app, 'shop', { name: `shop-${env.name}` });
  new WebService(tenant, 'api', {
    name: 'api',
    image: `ghcr.io/acme/api:${env.tag}`,
    port: 8080,
    size: { cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(env.memoryMiB) },
    replicas: env.replicas,
    readiness: Probe.http('/ready'),
    liveness: Probe.http('/healthz'),
  });
}

const argoCd = { appName: 'shop', repoURL: 'https://git.example.com/acme/shop-deploy.git' };

describe('one app definition, several environments', () => {
  test('renders dist/<env>/<chart>.k8s.yaml per environment and an Argo CD Application each', () => {
    const files = renderEnvironments({ environments: envs, build, argoCd });
    expect([...files.keys()]).toEqual(['dev/shop.k8s.yaml', 'argocd/shop-dev.yaml', 'staging/shop.k8s.yaml', 'argocd/shop-staging.yaml', 'prod/shop.k8s.yaml', 'argocd/shop-prod.yaml']);
    for (const env of envs) {
      const objects = yaml.parseAllDocuments(files.get(`${env.name}/shop.k8s.yaml`)!).map(d => d.toJS());
      expect(schemaErrors(objects, KubernetesTarget.DEFAULT.version)).toEqual([]);
      const deployment = objects.find(o => o.kind === 'Deployment');
      expect(deployment.metadata.namespace).toBe(`shop-${env.name}`);
      expect(deployment.spec.replicas).toBe(env.replicas);
      expect(deployment.spec.template.spec.containers[0].image).toBe(`ghcr.io/acme/api:${env.tag}`);
      // Sync waves: the namespace baseline first, then identities and config, then workloads.
      const wave = (kind: string) => objects.find(o => o.kind === kind).metadata.annotations['argocd.argoproj.io/sync-wave'];
      expect([wave('Namespace'), wave('LimitRange'), wave('ServiceAccount'), wave('Service'), wave('Deployment')]).toEqual(['-3', '-2', '-1', '0', '1']);
      // The Argo CD Application, strictly against its CRD (schema and CEL rules).
      expect(schemaErrors(yaml.parseAllDocuments(files.get(`argocd/shop-${env.name}.yaml`)!).map(d => d.toJS()), KubernetesTarget.DEFAULT.version)).toEqual([]);
    }
  });

  test('the Application syncs automatically but never prunes everything on an empty folder', () => {
    const app = yaml.parse(renderEnvironments({ environments: envs, build, argoCd }).get('argocd/shop-prod.yaml')!);
    expect(app).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'shop-prod', namespace: 'argocd' },
      spec: {
        project: 'default',
        source: { repoURL: argoCd.repoURL, targetRevision: 'main', path: 'dist/prod' },
        destination: { server: 'https://kubernetes.default.svc' },
        syncPolicy: { automated: { prune: true, selfHeal: true, allowEmpty: false } },
      },
    });
  });

  test('an environment named like an Object.prototype member ("constructor") gets its own server, or the default', () => {
    const env = (name: string): ShopEnv => ({ name, replicas: 1, tag: '1.8.3', memoryMiB: 256 });
    const server = (servers?: Record<string, string>) => yaml.parse(renderEnvironments({ environments: [env('constructor')], build, argoCd: { ...argoCd, servers } }).get('argocd/shop-constructor.yaml')!).spec.destination.server;
    expect(server()).toBe('https://kubernetes.default.svc');
    expect(server({ prod: 'https://prod.example.com' })).toBe('https://kubernetes.default.svc');
    expect(server({ constructor: 'https://constructor.example.com' })).toBe('https://constructor.example.com');
  });

  test('changing a prod-only value changes only dist/prod', () => {
    const before = renderEnvironments({ environments: envs, build, argoCd });
    const after = renderEnvironments({ environments: envs.map(e => (e.name === 'prod' ? { ...e, replicas: 6 } : e)), build, argoCd });
    const changed = [...before.keys()].filter(k => before.get(k) !== after.get(k));
    expect(changed).toEqual(['prod/shop.k8s.yaml']);
  });

  test('deterministic: the same input gives byte-identical files', () => {
    expect(renderEnvironments({ environments: envs, build, argoCd })).toEqual(renderEnvironments({ environments: envs, build, argoCd }));
  });

  test('each environment uses its own profile', () => {
    const blocking = (app: App, env: ShopEnv) => {
      const tenant = new Tenant(app, 'shop', { name: `shop-${env.name}` });
      new WebService(tenant, 'api', { name: 'api', image: 'ghcr.io/acme/api:1.0.0', port: 8080, size: { cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) }, replicas: 2, disruptionBudget: DisruptionBudget.minAvailable(2), readiness: Probe.http('/ready') });
    };
    expect(renderEnvironments({ environments: envs.filter(e => e.name !== 'prod'), build: blocking }).size).toBe(2);
    expect(() => renderEnvironments({ environments: envs, build: blocking })).toThrow(/SW-PDB-001/);
  });

  test('SW-GITOPS-001: no Application for an environment that renders nothing', () => {
    const e = thrownBy(() => renderEnvironments({ environments: envs, build: (app, env) => (env.name === 'staging' ? undefined : build(app, env)), argoCd }));
    expect((e as SeaworthyError).ruleIds).toEqual(['SW-GITOPS-001']);
  });

  test('SW-GITOPS-002: environment names are unique DNS labels', () => {
    const e = thrownBy(() => renderEnvironments({ environments: [envs[0], { ...envs[1], name: 'Staging' }, { ...envs[2], name: 'dev' }], build }));
    expect((e as SeaworthyError).ruleIds).toEqual(['SW-GITOPS-002', 'SW-GITOPS-002']);
  });

  test('each environment renders for its own Kubernetes target', () => {
    const files = renderEnvironments({ environments: [{ ...envs[0], kubernetesVersion: '1.28' }, { ...envs[2], kubernetesVersion: '1.36' }], build });
    const labels = (env: string) => yaml.parseAllDocuments(files.get(`${env}/shop.k8s.yaml`)!).map(d => d.toJS()).find(o => o.kind === 'Namespace').metadata.labels;
    expect(labels('dev')['pod-security.kubernetes.io/enforce-version']).toBe('v1.28');
    expect(labels('prod')['pod-security.kubernetes.io/enforce-version']).toBe('v1.36');
    const preStop = (env: string) => yaml.parseAllDocuments(files.get(`${env}/shop.k8s.yaml`)!).map(d => d.toJS()).find(o => o.kind === 'Deployment').spec.template.spec.containers[0].lifecycle.preStop;
    expect(preStop('dev')).toEqual({ exec: { command: ['sleep', '5'] } });
    expect(preStop('prod')).toEqual({ sleep: { seconds: 5 } });
  });

  test('SW-TARGET-001: an environment target outside 1.28–1.36 is refused before anything renders', () => {
    let built = 0;
    const e = thrownBy(() => renderEnvironments({ environments: [{ ...envs[0], kubernetesVersion: '1.27' as KubernetesVersion }], build: (app, env) => { built++; build(app, env); } })) as SeaworthyError;
    expect(e.ruleIds).toEqual(['SW-TARGET-001']);
    expect(e.message).toContain('1.28 to 1.36');
    expect(built).toBe(0);
  });

  test('writeEnvironments replaces the output folder atomically', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sw-envs-')), 'dist');
    writeEnvironments({ environments: envs, build, argoCd }, dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['.seaworthy-output', 'argocd', 'dev', 'prod', 'staging']);
    writeEnvironments({ environments: envs.filter(e => e.name !== 'dev'), build, argoCd }, dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['.seaworthy-output', 'argocd', 'prod', 'staging']);
    expect(fs.readdirSync(path.join(dir, 'argocd')).sort()).toEqual(['shop-prod.yaml', 'shop-staging.yaml']);
  });
});
