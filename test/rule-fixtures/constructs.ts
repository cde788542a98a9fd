import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AppConfig, BarePod, BatchJob, Env, EnvFrom, Environment, Gateway, KubernetesTarget, KubernetesVersion, NodeAgent, PersistentVolume, PersistentVolumeSource,
  Peer, PodSecurityLevel, PodVolume, PostStart, Probe, readCluster, renderEnvironments, ServiceAccountRef, StatefulService, synthesize, Tenant, Waiver, WebService,
  WebServiceProps, Worker, writeManifests,
} from '../../src';
import { LOCK_SUFFIX } from '../../src/synth/output-lock';
import { writeTree } from '../../src/synth/write-tree';
import { SMALL } from '../support/fixtures';
import { apiProps } from '../support/props';
import { also, ConstructFixture, RuleFixture } from './fixture';

/** Constructs as a fixture. */
const build = (b: (chart: Chart) => void): ConstructFixture => ({ build: b });

/** A rule judged on construct props: `fail` and `pass` build the constructs. */
function onConstructs(id: string, fail: (chart: Chart) => void, pass: (chart: Chart) => void): RuleFixture {
  return { id, fail: build(fail), pass: build(pass) };
}

/** A rule judged on a WebService's props (the ten-line API of `apiProps`, overridden). */
function onProps(id: string, fail: Partial<WebServiceProps>, pass: Partial<WebServiceProps> = {}): RuleFixture {
  return onConstructs(id, c => { new WebService(c, 'api', apiProps(fail)); }, c => { new WebService(c, 'api', apiProps(pass)); });
}

// Plain-JavaScript callers can pass anything; this cast models them.
const js = <T>(v: unknown): T => v as T;

const appOf = (chart: Chart): App => chart.node.root as App;
const tempDirs: string[] = [];
/** A fresh temporary directory, removed by `removeTempDirs()`. */
const tmp = (): string => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sw-fixture-')));
  tempDirs.push(dir);
  return dir;
};

/** Removes the directories the output fixtures wrote. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

const shop = (app: App, podSecurity?: PodSecurityLevel): Tenant => new Tenant(app, 'tenant', { name: 'shop', podSecurity });

const worker = { name: 'worker', image: 'ghcr.io/acme/worker:1.0.0', size: SMALL, liveness: Probe.exec(['/bin/true']) };
const job = { name: 'migrate', image: 'ghcr.io/acme/migrate:1.0.0', size: SMALL };
const db = { name: 'db', image: 'ghcr.io/acme/db:1.0.0', port: 5432, size: SMALL, readiness: Probe.tcp(), volumeClaims: [{ name: 'data', mountPath: '/data', size: Size.gibibytes(10) }] };
const agent = { name: 'fluent-bit', image: 'fluent/fluent-bit:3.0.4', size: SMALL, mounts: [{ volume: PodVolume.hostPath('varlog', '/var/log'), path: '/var/log' }], waivers: [Waiver.of('SW-SEC-004', 'ships node logs')] };
const probeAgent = { name: 'node-probe', image: 'ghcr.io/acme/node-probe:1.2.0', size: SMALL, command: ['/node-probe'] };
const nfs = PersistentVolumeSource.nfs('nfs.internal', '/exports');
const somaxconn = { security: { sysctls: { 'net.core.somaxconn': '1024' } }, waivers: [Waiver.of('SW-SEC-013', 'the broker needs a longer accept queue')] };

/** Environments rendered by one build: an API in a Tenant per environment. */
const ENVS: Environment[] = [{ name: 'staging' }, { name: 'prod' }];
const buildEnv = (app: App, env: Environment): void => { new WebService(new Tenant(app, 'shop', { name: `shop-${env.name}` }), 'api', apiProps()); };
const argoCd = { appName: 'shop', repoURL: 'https://git.example.com/acme/shop-deploy.git' };
const flux = { appName: 'shop', gitRepository: 'shop-deploy' };

/** An app with one WebService, for the output rules. */
const writable = (chart: Chart): App => {
  new WebService(chart, 'api', apiProps());
  return appOf(chart);
};

/** Rules judged on construct props (and the output they write), with no manifest form. */
export const CONSTRUCT_FIXTURES: readonly RuleFixture[] = [
  // Props
  onProps('SW-PROPS-001', { command: js('/app/server --port 8080') }, { command: ['/app/server', '--port', '8080'] }),
  onProps('SW-PROPS-002', js({ replica: 3 }), { replicas: 3 }),
  onProps('SW-REPLICAS-001', { replicas: 0 }, { replicas: 2 }),
  onProps('SW-PDB-002', { replicas: 1 }, { replicas: 2 }),
  onProps('SW-SHUTDOWN-003', { shutdown: { drainTime: Duration.millis(1500) } }, { shutdown: { drainTime: Duration.seconds(2) } }),
  onProps('SW-HOOK-001', { postStart: PostStart.exec([]) }, { postStart: PostStart.exec(['/app/warmup']) }),
  onProps('SW-RES-003', { tmpSize: Size.gibibytes(2) }, { tmpSize: Size.gibibytes(1) }),
  onProps('SW-NETPOL-001', { allowFrom: [Peer.namespace('monitoring').tcp(9090)] }, { allowFrom: [Peer.namespace('monitoring').tcp(9090)], extraPorts: [{ name: 'metrics', port: 9090 }] }),
  onProps('SW-SVC-006', { serviceType: kplus.ServiceType.NODE_PORT, nodePort: 8080 }, { serviceType: kplus.ServiceType.NODE_PORT, nodePort: 30080 }),
  onProps('SW-SA-002', { serviceAccount: ServiceAccountRef.existing('default') }, { serviceAccount: ServiceAccountRef.existing('ops-sa') }),
  onProps('SW-LABEL-004', { labels: { 'app.kubernetes.io/name': 'x' } }, { labels: { team: 'payments' } }),
  onProps('SW-VOL-001', { mounts: [{ volume: PodVolume.emptyDir('cache', { sizeLimit: Size.mebibytes(8) }), path: 'cache' }] }, { mounts: [{ volume: PodVolume.emptyDir('cache', { sizeLimit: Size.mebibytes(8) }), path: '/cache' }] }),
  onProps('SW-VOL-005', { mounts: [{ volume: PodVolume.configMap('tmp-files', 'tmp-files'), path: '/tmp' }] }, { mounts: [{ volume: PodVolume.emptyDir('scratch', { sizeLimit: Size.mebibytes(256) }), path: '/tmp' }] }),
  onProps('SW-SEC-019', { sidecars: [{ name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0', size: SMALL, security: { runAsRoot: true } }] },
    { sidecars: [{ name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0', size: SMALL }] }),
  onProps('SW-MON-003', { extraPorts: [{ name: 'metrics', port: 9090 }], monitoring: { path: 'metrics' } }, { extraPorts: [{ name: 'metrics', port: 9090 }], monitoring: { path: '/metrics' } }),
  // Environment and configuration
  onProps('SW-ENV-002', { env: { LOG_LEVEL: js('info') } }, { env: { LOG_LEVEL: Env.value('info') } }),
  onProps('SW-ENV-007', { envFrom: [EnvFrom.secret('Bad_Name')] }, { envFrom: [EnvFrom.secret('api-secrets')] }),
  onProps('SW-ENV-009', { env: { GOMAXPROCS: Env.value('4') }, runtime: { goMaxProcs: true } }, { runtime: { goMaxProcs: true } }),
  onConstructs('SW-CONFIG-001',
    c => { const cfg = new AppConfig(c, 'cfg', { name: 'api-config', data: { LOG_LEVEL: 'info' } }); new WebService(c, 'api', apiProps({ env: { LEVEL: cfg.env('LOGLEVEL') } })); },
    c => { const cfg = new AppConfig(c, 'cfg', { name: 'api-config', data: { LOG_LEVEL: 'info' } }); new WebService(c, 'api', apiProps({ env: { LEVEL: cfg.env('LOG_LEVEL') } })); }),
  onConstructs('SW-CONFIG-003',
    c => { new AppConfig(c, 'cfg', { name: 'settings', data: { A: 'b' }, immutable: true }).configMap.addBinaryData('logo.png', 'iVBORw0KGgo='); synthesize(appOf(c)); },
    c => { new AppConfig(c, 'cfg', { name: 'settings', data: { A: 'b' } }).configMap.addBinaryData('logo.png', 'iVBORw0KGgo='); synthesize(appOf(c)); }),
  // Workloads
  onConstructs('SW-PROBE-005', c => { new Worker(c, 'w', { ...worker, liveness: js<Probe>(undefined) }); }, c => { new Worker(c, 'w', worker); }),
  onConstructs('SW-JOB-001', c => { new BatchJob(c, 'j', { ...job, completions: 0 }); }, c => { new BatchJob(c, 'j', { ...job, completions: 1 }); }),
  onConstructs('SW-STS-001', c => { new StatefulService(c, 'db', { ...db, partition: 4 }); }, c => { new StatefulService(c, 'db', { ...db, partition: 2 }); }),
  onConstructs('SW-POD-002',
    c => { new BarePod(c, 'p', { ...probeAgent, static: true, env: { TOKEN: Env.fromSecret('probe-token', 'token') } }); },
    c => { new BarePod(c, 'p', { ...probeAgent, static: true, env: { LOG_LEVEL: Env.value('info') } }); }),
  onConstructs('SW-POD-003', c => { new BarePod(c, 'p', { ...probeAgent, stdin: true }); }, c => { new BarePod(c, 'p', probeAgent); }),
  onConstructs('SW-TRACK-003',
    c => { new WebService(c, 'api', apiProps({ replicas: 9 })).addCanary({ image: 'ghcr.io/acme/api:1.5.0' }); },
    c => { new WebService(c, 'api', apiProps({ replicas: 9, releaseTracks: true })).addCanary({ image: 'ghcr.io/acme/api:1.5.0' }); }),
  // Tenants and their namespaces
  onConstructs('SW-NS-003', c => { new NodeAgent(shop(appOf(c)), 'agent', agent); synthesize(appOf(c)); }, c => { new NodeAgent(shop(appOf(c), PodSecurityLevel.PRIVILEGED), 'agent', agent); synthesize(appOf(c)); }),
  onConstructs('SW-SYSCTL-003', c => { new WebService(shop(appOf(c)), 'api', apiProps(somaxconn)); }, c => { new WebService(shop(appOf(c), PodSecurityLevel.PRIVILEGED), 'api', apiProps(somaxconn)); }),
  onConstructs('SW-ROUTE-003',
    c => { const t = new Tenant(appOf(c), 'tenant', { name: 'shop', gateways: [Gateway.fromRef('infra', 'public', { sectionName: 'https' })] }); new WebService(t, 'api', apiProps()).addRoute({ gateway: Gateway.fromRef('infra', 'internal') }); },
    c => { const t = new Tenant(appOf(c), 'tenant', { name: 'shop', gateways: [Gateway.fromRef('infra', 'public', { sectionName: 'https' })] }); new WebService(t, 'api', apiProps()).addRoute({ gateway: Gateway.fromRef('infra', 'public', { sectionName: 'https' }) }); }),
  also('a relative path given to addRoute', onConstructs('SW-ROUTE-005',
    c => { const t = new Tenant(appOf(c), 'tenant', { name: 'shop', gateways: [Gateway.fromRef('infra', 'public', { sectionName: 'https' })] }); new WebService(t, 'api', apiProps()).addRoute({ hostnames: ['shop.example.com'], paths: ['api'] }); },
    c => { const t = new Tenant(appOf(c), 'tenant', { name: 'shop', gateways: [Gateway.fromRef('infra', 'public', { sectionName: 'https' })] }); new WebService(t, 'api', apiProps()).addRoute({ hostnames: ['shop.example.com'], paths: ['/api'] }); })),
  // Cluster-wide grants and storage
  onConstructs('SW-RBAC-003', c => { new NodeAgent(c, 'a', { ...probeAgent, name: 'node-exporter' }).grantClusterWide(readCluster(['pod'])); },
    c => { new NodeAgent(c, 'a', { ...probeAgent, name: 'node-exporter' }).grantClusterWide(readCluster(['pods'])); }),
  onConstructs('SW-PV-001', c => { new PersistentVolume(c, 'pv', { name: 'Bad_Name', capacity: Size.gibibytes(1), source: nfs }); }, c => { new PersistentVolume(c, 'pv', { name: 'data', capacity: Size.gibibytes(1), source: nfs }); }),
  // The Kubernetes target
  onConstructs('SW-TARGET-001', c => { KubernetesTarget.set(appOf(c), js<KubernetesVersion>('1.27')); }, c => { KubernetesTarget.set(appOf(c), '1.28', { asOf: new Date('2024-01-01') }); }),
  onConstructs('SW-TARGET-002', c => { KubernetesTarget.set(appOf(c), '1.28', { asOf: new Date('2026-12-02') }); }, c => { KubernetesTarget.set(appOf(c), '1.28', { asOf: new Date('2024-10-28') }); }),
  onConstructs('SW-SIDECAR-001',
    c => { KubernetesTarget.set(appOf(c), '1.28', { asOf: new Date('2024-01-01') }); new WebService(c, 'api', apiProps({ sidecars: [{ name: 'log-tailer', image: 'busybox:1.36', size: SMALL, command: ['tail', '-F', '/tmp/app.log'] }] })); },
    c => { KubernetesTarget.set(appOf(c), '1.29', { asOf: new Date('2024-01-01') }); new WebService(c, 'api', apiProps({ sidecars: [{ name: 'log-tailer', image: 'busybox:1.36', size: SMALL, command: ['tail', '-F', '/tmp/app.log'] }] })); }),
  // GitOps environments
  onConstructs('SW-GITOPS-001', () => { renderEnvironments({ environments: ENVS, build: (app, env) => (env.name === 'staging' ? undefined : buildEnv(app, env)), argoCd }); },
    () => { renderEnvironments({ environments: ENVS, build: buildEnv, argoCd }); }),
  onConstructs('SW-GITOPS-002', () => { renderEnvironments({ environments: [{ name: 'Staging' }], build: buildEnv }); }, () => { renderEnvironments({ environments: [{ name: 'staging' }], build: buildEnv }); }),
  onConstructs('SW-GITOPS-003', () => { renderEnvironments({ environments: ENVS, build: buildEnv, argoCd: { ...argoCd, appName: 'Shop' } }); }, () => { renderEnvironments({ environments: ENVS, build: buildEnv, argoCd }); }),
  onConstructs('SW-GITOPS-004', () => { renderEnvironments({ environments: ENVS, build: buildEnv, flux: { ...flux, path: '../dist' } }); }, () => { renderEnvironments({ environments: ENVS, build: buildEnv, flux }); }),
  onConstructs('SW-GITOPS-005',
    () => { renderEnvironments({ environments: [{ name: 'prod' }], build: app => { buildEnv(app, { name: 'prod' }); new BarePod(new Chart(app, 'node', { namespace: 'kube-system' }), 'p', { ...probeAgent, static: true }); }, flux }); },
    () => { renderEnvironments({ environments: [{ name: 'prod' }], build: app => { buildEnv(app, { name: 'prod' }); new BarePod(new Chart(app, 'node', { namespace: 'kube-system' }), 'p', { ...probeAgent, static: true }); }, argoCd }); }),
  // The output directory
  onConstructs('SW-OUTPUT-001', c => { const root = tmp(); fs.writeFileSync(path.join(root, 'package.json'), '{}'); writeManifests(writable(c), root); }, c => { writeManifests(writable(c), path.join(tmp(), 'dist')); }),
  onConstructs('SW-OUTPUT-002', c => { const dir = path.join(tmp(), 'dist'); fs.mkdirSync(dir); fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine'); writeManifests(writable(c), dir); },
    c => { const dir = path.join(tmp(), 'dist'); fs.mkdirSync(dir); writeManifests(writable(c), dir); }),
  onConstructs('SW-OUTPUT-003', c => { new WebService(new Chart(appOf(c), 'Shop', { namespace: 'shop' }), 'api', apiProps()); synthesize(appOf(c)); },
    c => { new WebService(new Chart(appOf(c), 'shop', { namespace: 'shop' }), 'api', apiProps()); synthesize(appOf(c)); }),
  onConstructs('SW-OUTPUT-004', () => { const dir = path.join(tmp(), 'dist'); fs.writeFileSync(`${dir}${LOCK_SUFFIX}`, `${process.ppid} ${os.hostname()} abc\n`); writeTree(new Map([['a.k8s.yaml', 'a: 1\n']]), dir); },
    () => { writeTree(new Map([['a.k8s.yaml', 'a: 1\n']]), path.join(tmp(), 'dist')); }),
];
