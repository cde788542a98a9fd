import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as yaml from 'yaml';
import { BarePod, BatchJob, DisruptionBudget, Environment, Finding, Findings, FluxProps, KubernetesTarget, KubernetesVersion, Probe, Profile, renderEnvironments, SeaworthyError, Tenant, WebService, writeEnvironments } from '../src';
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

  test('findings: each environment\'s findings, from its synthesis, as Findings.of reads them from the same app', () => {
    // GIVEN a build that keeps each environment's app; prod runs one replica (SW-PDB-002)
    const environments: ShopEnv[] = [envs[0], { name: 'prod', replicas: 1, tag: '1.8.3', memoryMiB: 256 }];
    const apps = new Map<string, App>();
    const handed: Array<[string, Finding[]]> = [];
    // WHEN
    renderEnvironments({ environments, build: (app, env) => { apps.set(env.name, app); build(app, env); }, findings: (found, env) => handed.push([env.name, found]) });
    // THEN once per environment, in order, what Findings.of(app) reads
    expect(handed.map(([name]) => name)).toEqual(['dev', 'prod']);
    for (const [name, found] of handed) expect(found).toEqual(Findings.of(apps.get(name)!));
    expect(handed[1][1].map(f => `${f.rule.id} ${f.severity}`)).toContain('SW-PDB-002 warning');
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

const flux: FluxProps = { appName: 'shop', gitRepository: 'shop-deploy' };

describe('Flux beside Argo CD', () => {
  test('a Kustomization per environment at dist/<env> of the GitRepository, pruned and waited for, validated against its CRD', () => {
    const files = renderEnvironments({ environments: envs, build, argoCd, flux });
    expect([...files.keys()]).toEqual([
      'dev/shop.k8s.yaml', 'argocd/shop-dev.yaml', 'flux/shop-dev.yaml',
      'staging/shop.k8s.yaml', 'argocd/shop-staging.yaml', 'flux/shop-staging.yaml',
      'prod/shop.k8s.yaml', 'argocd/shop-prod.yaml', 'flux/shop-prod.yaml',
    ]);
    const ks = yaml.parse(files.get('flux/shop-prod.yaml')!);
    expect(ks).toEqual({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'shop-prod', namespace: 'flux-system', labels: { 'app.kubernetes.io/part-of': 'shop', 'seaworthy.dev/environment': 'prod' } },
      spec: {
        // No kustomization.yaml in dist/prod: the kustomize-controller generates one from the manifests.
        interval: '10m', path: './dist/prod', prune: true, sourceRef: { kind: 'GitRepository', name: 'shop-deploy' },
        // The Deployment's progressDeadlineSeconds (600) plus a minute.
        timeout: '11m', wait: true,
      },
    });
    for (const env of envs) expect(schemaErrors([yaml.parse(files.get(`flux/shop-${env.name}.yaml`)!)], KubernetesTarget.DEFAULT.version)).toEqual([]);
  });

  test('without wait, the workloads are health-checked by name; dependsOn, remote clusters and the other settings', () => {
    const files = renderEnvironments({
      environments: envs, build,
      flux: { ...flux, wait: false, dependsOn: ['platform-crds', 'infra/gateway-api'], kubeConfigSecrets: { prod: 'prod-kubeconfig' }, path: 'deploy/rendered', namespace: 'gitops', gitRepositoryNamespace: 'flux-system', interval: Duration.minutes(5), timeout: Duration.minutes(20), serviceAccountName: 'shop-deployer' },
    });
    const ks = yaml.parse(files.get('flux/shop-prod.yaml')!);
    expect(ks.metadata.namespace).toBe('gitops');
    expect(ks.spec).toEqual({
      dependsOn: [{ name: 'platform-crds' }, { name: 'gateway-api', namespace: 'infra' }],
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', namespace: 'shop-prod' }],
      interval: '5m', kubeConfig: { secretRef: { name: 'prod-kubeconfig' } }, path: './deploy/rendered/prod', prune: true,
      serviceAccountName: 'shop-deployer', sourceRef: { kind: 'GitRepository', name: 'shop-deploy', namespace: 'flux-system' }, timeout: '20m', wait: false,
    });
    expect(yaml.parse(files.get('flux/shop-dev.yaml')!).spec.kubeConfig).toBeUndefined();
    expect(schemaErrors([ks], KubernetesTarget.DEFAULT.version)).toEqual([]);
  });

  test('the timeout covers the longest rollout: a Job\'s activeDeadline when Flux waits for it', () => {
    const withJob = (app: App, env: ShopEnv) => {
      build(app, env);
      new BatchJob(app.node.findChild('shop') as Tenant, 'migrate', { name: 'migrate', image: 'ghcr.io/acme/api:1.0.0', size: { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) }, activeDeadline: Duration.minutes(30) });
    };
    const timeout = (wait: boolean) => yaml.parse(renderEnvironments({ environments: [envs[2]], build: withJob, flux: { ...flux, wait } }).get('flux/shop-prod.yaml')!).spec.timeout;
    expect(timeout(true)).toBe('31m');
    expect(timeout(false)).toBe('11m');
  });

  test('SW-GITOPS-001: no Kustomization for an environment that renders nothing', () => {
    const e = thrownBy(() => renderEnvironments({ environments: envs, build: (app, env) => (env.name === 'staging' ? undefined : build(app, env)), flux }));
    expect((e as SeaworthyError).ruleIds).toEqual(['SW-GITOPS-001']);
    expect(e.message).toContain('an automated Kustomization would prune everything');
  });

  test('SW-GITOPS-002: "flux" is the folder of the Kustomizations, and names stay within 63 characters', () => {
    const e = thrownBy(() => renderEnvironments({ environments: [{ ...envs[0], name: 'flux' }, { ...envs[1], name: 'a'.repeat(60) }], build, flux }));
    expect((e as SeaworthyError).ruleIds).toEqual(['SW-GITOPS-002', 'SW-GITOPS-002']);
    expect(e.message).toContain('is the folder of the Flux Kustomizations');
  });

  test('SW-GITOPS-004: names, references, paths and timings Flux would refuse, before anything renders', () => {
    let built = 0;
    const e = thrownBy(() => renderEnvironments({
      environments: envs, build: (app, env) => { built++; build(app, env); },
      flux: { appName: 'Shop', gitRepository: 'shop_deploy', path: '../dist', namespace: 'flux/system', dependsOn: ['a/b/c'], kubeConfigSecrets: { qa: 'qa-kubeconfig' }, interval: Duration.millis(1500) },
    })) as SeaworthyError;
    expect(e.ruleIds).toEqual(['SW-GITOPS-004', 'SW-GITOPS-004', 'SW-GITOPS-004', 'SW-GITOPS-004', 'SW-GITOPS-004', 'SW-GITOPS-004', 'SW-GITOPS-004']);
    expect(e.message).toContain('SW-GITOPS-004 [environments/flux] kubeConfigSecrets.qa = "qa-kubeconfig": names no environment (dev, staging, prod)');
    expect(built).toBe(0);
  });

  test('SW-PROPS-001/002: plain-JavaScript callers get unknown props and wrong types refused, for Argo CD too', () => {
    const e = thrownBy(() => renderEnvironments({ environments: envs, build, flux: { ...flux, prun: false, wait: 'yes' } as unknown as FluxProps, argoCd: { ...argoCd, revision: 'main' } as unknown as typeof argoCd })) as SeaworthyError;
    expect(e.ruleIds).toEqual(['SW-PROPS-002', 'SW-PROPS-002', 'SW-PROPS-001']);
    expect(e.message).toContain('revision');
    expect(e.message).toContain('prun');
  });

  test('SW-GITOPS-005: a Flux environment holds no static Pods (Flux would create them as Pods)', () => {
    const withStatic = (app: App, env: ShopEnv) => {
      build(app, env);
      new BarePod(app.node.findChild('shop') as Tenant, 'etcd-backup', { name: 'etcd-backup', image: 'ghcr.io/acme/backup:1.0.0', size: { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) }, static: true });
    };
    expect(renderEnvironments({ environments: [envs[2]], build: withStatic, argoCd }).size).toBe(3);
    const e = thrownBy(() => renderEnvironments({ environments: [envs[2]], build: withStatic, flux })) as SeaworthyError;
    expect(e.ruleIds).toEqual(['SW-GITOPS-005']);
  });

  test('writeEnvironments writes flux/ beside argocd/', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sw-envs-')), 'dist');
    writeEnvironments({ environments: envs, build, argoCd, flux }, dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['.seaworthy-output', 'argocd', 'dev', 'flux', 'prod', 'staging']);
    expect(fs.readdirSync(path.join(dir, 'flux')).sort()).toEqual(['shop-dev.yaml', 'shop-prod.yaml', 'shop-staging.yaml']);
  });
});

