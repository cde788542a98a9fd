import { ApiObject, App, Chart, ChartProps, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AdmissionPolicies, AppConfig, BatchJob, ContainerProps, KubernetesTarget, CronTask, Env, Environment, Gateway, GatewayRef, HttpRoute, ListenerProtocol, NodeAgent, Peer,
  PodSecurityLevel, PodVolume, PriorityClass, Probe, Profile, readCluster, StatefulService, Tenant, VerticalResource, Waiver, WebService, Worker, writeEnvironments,
} from './index';

/**
 * The "graceful HTTP server" the domain notes end with: graceful start (startup + readiness
 * probes), graceful stop (preStop delay, drain, computed grace period), Guaranteed QoS, liveness
 * separate from readiness, and the log level as configuration kept apart from the code.
 */
export class HelloChart extends Chart {
  /** The service. */
  public readonly web: WebService;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    const namespace = props.namespace ?? 'hello';
    super(scope, id, { ...props, namespace });

    const ns = new kplus.Namespace(this, 'Namespace', {
      metadata: {
        name: namespace,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': KubernetesTarget.of(this).podSecurityVersion,
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
        },
      },
    });
    // The chart's namespace is stamped on every object; a Namespace itself is cluster-scoped.
    ApiObject.of(ns).addJsonPatch(JsonPatch.remove('/metadata/namespace'));

    const config = new AppConfig(this, 'Config', { name: 'hello-config', data: { LOG_LEVEL: 'info', SHUTDOWN_DRAIN_SECONDS: '20' } });

    this.web = new WebService(this, 'Hello', {
      name: 'hello',
      image: 'ghcr.io/seaworthy-dev/hello-http:1.2.0',
      port: 8080,
      size: { cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) },
      replicas: 3,
      startup: Probe.http('/ready', { period: Duration.seconds(2), failureThreshold: 30 }),
      readiness: Probe.http('/ready', { period: Duration.seconds(5) }),
      liveness: Probe.http('/healthz', { period: Duration.seconds(10), timeout: Duration.seconds(2) }),
      shutdown: { drainTime: Duration.seconds(20) },
      env: {
        LOG_LEVEL: config.env('LOG_LEVEL'),
        SHUTDOWN_DRAIN_SECONDS: config.env('SHUTDOWN_DRAIN_SECONDS'),
        POD_NAME: Env.fromField(kplus.EnvFieldPaths.POD_NAME),
      },
      owner: 'platform-team',
      description: 'Reference graceful HTTP server',
    });
  }
}

const small = { cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) };

/**
 * An OpenTelemetry agent beside the app: on targets with native sidecars it starts before the
 * app, outlives its drain (so the last spans and logs are shipped) and lets Jobs complete.
 */
function telemetryAgent(): ContainerProps {
  return {
    name: 'otel-agent',
    image: 'otel/opentelemetry-collector-contrib:0.111.0',
    size: { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) },
    args: ['--config=env:OTEL_AGENT_CONFIG'],
    env: { OTEL_AGENT_CONFIG: Env.fromSecret('otel-agent-config', 'config.yaml') },
    ports: [{ name: 'otel-health', port: 13133, expose: false }],
    readiness: Probe.http('/', { portName: 'otel-health' }),
  };
}

/** Per-environment values of the reference platform. */
export interface PlatformEnv extends Environment {
  /** Release of the shop API (image tag). */
  readonly apiTag: string;
  /** Replicas of the web frontend. */
  readonly webReplicas: number;
  /** Autoscaling range of the API. */
  readonly apiMinReplicas: number;
  readonly apiMaxReplicas: number;
  /** CPU quota of the shop namespace, in cores (memory quota: 2 GiB per core). */
  readonly quotaCpu: number;
  /** Public host name of the shop. */
  readonly host: string;
  /** Domain the platform's public Gateway serves (its HTTPS listener takes `*.<domain>`). */
  readonly domain: string;
  /** API server of the environment's cluster, for its Argo CD Application. */
  readonly server: string;
  /** Image tag of a web frontend canary (one Pod beside the stable ones), if one is being tried. */
  readonly webCanaryTag?: string;
}

/** Production, the default environment. */
export const PRODUCTION: PlatformEnv = {
  name: 'prod', profile: Profile.PRODUCTION, kubernetesVersion: '1.33', apiTag: '4.2.0', webReplicas: 3, apiMinReplicas: 3, apiMaxReplicas: 8, quotaCpu: 12, host: 'shop.example.com', domain: 'example.com', server: 'https://prod.k8s.acme.example',
};

/**
 * The platform team's namespace: the public Gateway every team publishes through (HTTPS for
 * `*.<domain>`, plus plain HTTP for redirects and ACME challenges), admitting routes from the
 * application namespaces only.
 */
export class PlatformChart extends Tenant {
  /** The public Gateway. */
  public readonly gateway: Gateway;

  constructor(scope: Construct, id: string, env: PlatformEnv = PRODUCTION) {
    super(scope, id, { name: 'infra', owner: 'platform-team' });
    this.gateway = new Gateway(this, 'PublicGateway', {
      name: 'public',
      gatewayClassName: 'eg',
      listeners: [
        { name: 'https', port: 443, protocol: ListenerProtocol.HTTPS, hostname: `*.${env.domain}`, tlsSecretName: 'public-wildcard-tls' },
        { name: 'http', port: 80, protocol: ListenerProtocol.HTTP },
      ],
      allowRoutesFrom: ['shop'],
    });
    // Cluster-scoped: declared once by the platform team, named by the teams' workloads.
    new PriorityClass(this, 'CustomerFacing', { name: CUSTOMER_FACING, value: 100000, description: 'Pods that serve customers directly; queued first, preempting nothing' });
    // The same rules at the cluster's door, for what every team applies: namespaces without a
    // seaworthy.dev/profile label get the environment's profile.
    new AdmissionPolicies(this, 'AdmissionRules', { profile: env.profile });
  }
}

/** Priority of the customer-facing Pods: scheduled first, but never evicting other teams' Pods. */
export const CUSTOMER_FACING = 'customer-facing';

/** The listener the shop publishes through, when the platform Gateway is not part of the same app. */
export const PUBLIC_HTTPS: GatewayRef = Gateway.fromRef('infra', 'public', { sectionName: 'https' });

/**
 * A shop tenant, as the domain notes walk through it: a web frontend and an autoscaled API
 * published through the platform's Gateway, a queue worker, PostgreSQL with per-replica volumes
 * and its configuration in a ConfigMap mounted with subPath, a migration Job gated on the
 * database, and a nightly report.
 */
export class ShopChart extends Tenant {
  constructor(scope: Construct, id: string, env: PlatformEnv = PRODUCTION, gateway: GatewayRef = PUBLIC_HTTPS) {
    super(scope, id, {
      name: 'shop',
      owner: 'team-shop',
      gateways: [gateway],
      quota: { cpu: kplus.Cpu.units(env.quotaCpu), memory: Size.gibibytes(2 * env.quotaCpu), pods: 40, persistentVolumeClaims: 10, storage: Size.gibibytes(200) },
    });
    const release = env.apiTag;

    const dbConfig = new AppConfig(this, 'DbConfig', {
      name: 'postgres-config',
      data: { 'postgresql.conf': "listen_addresses = '*'\nmax_connections = 200\nshared_buffers = 256MB\n", POSTGRES_DB: 'shop' },
    });
    const db = new StatefulService(this, 'Postgres', {
      name: 'postgres',
      image: 'postgres:16.4',
      port: 5432,
      portName: 'postgres',
      size: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(2) },
      replicas: 1,
      readiness: Probe.exec(['pg_isready', '-U', 'postgres', '-h', '127.0.0.1'], { period: Duration.seconds(5) }),
      liveness: Probe.tcp({ period: Duration.seconds(20) }),
      args: ['-c', 'config_file=/etc/postgresql/postgresql.conf'],
      env: {
        POSTGRES_DB: dbConfig.env('POSTGRES_DB'),
        POSTGRES_PASSWORD: Env.fromSecret('postgres-credentials', 'password'),
        PGDATA: Env.value('/var/lib/postgresql/data/pgdata'),
      },
      volumeClaims: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: Size.gibibytes(50), storageClassName: 'fast-retain' }],
      mounts: [
        { volume: dbConfig.volume({ items: [{ key: 'postgresql.conf', path: 'postgresql.conf' }] }), path: '/etc/postgresql/postgresql.conf', subPath: 'postgresql.conf' },
        { volume: PodVolume.emptyDir('run', { sizeLimit: Size.mebibytes(16) }), path: '/var/run/postgresql' },
      ],
      shutdown: { drainTime: Duration.seconds(60) },
      component: 'database',
      partOf: 'shop',
    });

    const apiConfig = new AppConfig(this, 'ApiConfig', { name: 'api-config', data: { LOG_LEVEL: 'info', DB_HOST: 'postgres' } });
    const api = new WebService(this, 'Api', {
      name: 'api',
      image: `ghcr.io/acme/shop-api:${release}`,
      port: 8080,
      extraPorts: [{ name: 'metrics', port: 9090, expose: false }],
      size: { cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(512) },
      autoscaling: { minReplicas: env.apiMinReplicas, maxReplicas: env.apiMaxReplicas, cpuUtilization: 70, scaleDown: { stabilizationWindow: Duration.minutes(10) } },
      scheduling: { priorityClassName: CUSTOMER_FACING },
      labels: { 'acme.example/cost-center': 'shop' },
      startup: Probe.http('/ready', { period: Duration.seconds(2), failureThreshold: 30 }),
      readiness: Probe.http('/ready'),
      liveness: Probe.http('/healthz'),
      sidecars: [telemetryAgent()],
      env: {
        LOG_LEVEL: apiConfig.env('LOG_LEVEL'),
        DB_HOST: apiConfig.env('DB_HOST'),
        DB_PASSWORD: Env.fromSecret('postgres-credentials', 'password'),
      },
      // Scraped by the cluster's Prometheus through a ServiceMonitor (the metrics port stays off the
      // Service, so only Prometheus is admitted to it), with the default alerts routed to the team.
      monitoring: { interval: Duration.seconds(30), alerts: { labels: { team: 'shop' } } },
      partOf: 'shop',
      owner: 'team-shop',
    });

    const web = new WebService(this, 'Web', {
      name: 'web',
      image: 'ghcr.io/acme/shop-web:7.0.3',
      port: 3000,
      size: small,
      replicas: env.webReplicas,
      readiness: Probe.http('/'),
      liveness: Probe.tcp(),
      scheduling: { priorityClassName: CUSTOMER_FACING },
      labels: { 'acme.example/cost-center': 'shop' },
      // On track "stable" in every environment, so a canary can come and go without replacing it.
      releaseTracks: true,
      component: 'frontend',
      partOf: 'shop',
    });
    // A release candidate serving a share of the traffic (1 Pod of webReplicas + 1) before it is rolled out.
    if (env.webCanaryTag) web.addCanary({ image: `ghcr.io/acme/shop-web:${env.webCanaryTag}` });
    // Published through the Tenant's Gateway; the Gateway's proxies are admitted on port 3000.
    web.addRoute({ hostnames: [env.host] });
    api.addRoute({ hostnames: [env.host], paths: ['/api'], timeout: Duration.seconds(30), backendTimeout: Duration.seconds(10) });

    const worker = new Worker(this, 'OrdersWorker', {
      name: 'orders-worker',
      image: `ghcr.io/acme/shop-api:${release}`,
      args: ['worker', '--queue', 'orders'],
      size: small,
      liveness: Probe.exec(['/app/healthcheck', '--worker']),
      // Its memory follows the size of the orders it holds, its cpu the queue: the VPA sizes memory
      // (requests = limits, Guaranteed throughout; the quota holds 512Mi per Pod).
      autoscaling: { vertical: { resources: [VerticalResource.MEMORY], maxAllowed: { memory: Size.mebibytes(512) } } },
      shutdown: { drainTime: Duration.seconds(45) },
      env: { DB_HOST: apiConfig.env('DB_HOST'), DB_PASSWORD: Env.fromSecret('postgres-credentials', 'password') },
      partOf: 'shop',
    });

    const migrate = new BatchJob(this, 'Migrate', {
      name: `migrate-${release.replace(/\./g, '-')}`,
      image: `ghcr.io/acme/shop-api:${release}`,
      args: ['migrate', 'up'],
      size: small,
      backoffLimit: 2,
      activeDeadline: Duration.minutes(20),
      initContainers: [{
        name: 'wait-for-db',
        image: 'postgres:16.4',
        size: small,
        command: ['/bin/sh', '-c', 'until pg_isready -h postgres -p 5432; do sleep 2; done'],
      }],
      env: { DB_HOST: apiConfig.env('DB_HOST'), DB_PASSWORD: Env.fromSecret('postgres-credentials', 'password') },
      partOf: 'shop',
    });

    const report = new CronTask(this, 'NightlyReport', {
      name: 'nightly-report',
      image: 'ghcr.io/acme/shop-reports:1.3.1',
      schedule: '30 2 * * *',
      timeZone: 'Europe/Berlin',
      size: small,
      activeDeadline: Duration.minutes(45),
      sidecars: [telemetryAgent()],
      // Alerts only (failed runs, missed schedules): its Pods are gone before a scrape.
      monitoring: { alerts: { labels: { team: 'shop' } } },
      partOf: 'shop',
    });

    api.allowFrom(web);
    db.allowFrom(api);
    db.allowFrom(worker);
    db.allowFrom(migrate);
    api.allowFrom(report);
  }
}

/** The log shipper, one per node, in its own privileged namespace. */
export class LoggingChart extends Tenant {
  constructor(scope: Construct, id: string) {
    super(scope, id, { name: 'logging', podSecurity: PodSecurityLevel.PRIVILEGED, owner: 'platform-team' });
    const fluentBit = new NodeAgent(this, 'FluentBit', {
      name: 'fluent-bit',
      image: 'cr.fluentbit.io/fluent/fluent-bit:3.1.9',
      size: { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) },
      extraPorts: [{ name: 'metrics', port: 2020 }],
      metricsPath: '/api/v1/metrics/prometheus',
      liveness: Probe.http('/', { portName: 'metrics' }),
      tolerateAllTaints: true,
      mounts: [
        { volume: PodVolume.hostPath('varlog', '/var/log'), path: '/var/log' },
        { volume: PodVolume.hostPath('containers', '/var/lib/docker/containers'), path: '/var/lib/docker/containers' },
      ],
      security: { user: 0 },
      waivers: [
        Waiver.of('SW-SEC-004', 'ships the node\'s container logs, which only exist under /var/log on the host; mounted read-only'),
        Waiver.of('SW-SEC-001', 'node log files are owned by root with mode 0640'),
        Waiver.of('SW-SEC-010', 'runs as root, see SW-SEC-001'),
      ],
      allowTo: [Peer.namespaces({ 'kubernetes.io/metadata.name': 'observability' }).tcp(3100)],
      allowFrom: [Peer.namespace('monitoring').tcp(2020)],
      partOf: 'observability',
    });
    // Fluent Bit's kubernetes filter enriches each record with its Pod's labels and namespace.
    fluentBit.grantClusterWide(readCluster(['pods', 'namespaces']));
  }
}

/** Builds the reference app for one environment into `app`. */
export function buildApp(app: App, env: PlatformEnv = PRODUCTION): App {
  const hello = new HelloChart(app, 'hello');
  const platform = new PlatformChart(app, 'infra', env);
  // The platform team publishes the hello server from its own namespace: the route lives in
  // infra, so the hello namespace gets a ReferenceGrant for it, and its policy admits the Gateway.
  new HttpRoute(platform, 'HelloRoute', { name: 'hello', gateway: platform.gateway.listener('https'), hostnames: [`hello.${env.domain}`], backends: [{ workload: hello.web }] });
  new ShopChart(app, 'shop', env, platform.gateway.listener('https'));
  new LoggingChart(app, 'logging');
  return app;
}

/** The reference platform's environments, each rendered into `dist/<name>/`. */
export const ENVIRONMENTS: readonly PlatformEnv[] = [
  { name: 'dev', profile: Profile.DEVELOPMENT, kubernetesVersion: '1.35', apiTag: '4.3.0-rc.2', webReplicas: 2, apiMinReplicas: 2, apiMaxReplicas: 3, quotaCpu: 10, host: 'shop.dev.acme.example', domain: 'dev.acme.example', server: 'https://dev.k8s.acme.example' },
  { name: 'staging', profile: Profile.STAGING, kubernetesVersion: '1.35', apiTag: '4.2.0', webReplicas: 2, apiMinReplicas: 2, apiMaxReplicas: 4, quotaCpu: 10, webCanaryTag: '7.1.0-rc.1', host: 'shop.staging.acme.example', domain: 'staging.acme.example', server: 'https://staging.k8s.acme.example' },
  PRODUCTION,
];

/**
 * Synthesizes every environment of the reference app into `dist/` (or `$CDK8S_OUTDIR` under
 * `cdk8s synth`), with Argo CD Applications in `dist/argocd/` and Flux Kustomizations in
 * `dist/flux/` (a cluster runs one or the other), and prints the findings.
 */
export function main(): void {
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  writeEnvironments({
    environments: ENVIRONMENTS,
    build: (app, env) => {
      buildApp(app, env);
    },
    // Read from each synthesis's own rendering: Findings.print(app) in build would render every object once more.
    findings: found => {
      for (const f of found) console.warn(`${f.severity}: ${f.message}`);
    },
    argoCd: {
      appName: 'platform',
      repoURL: 'https://git.acme.example/platform/deploy.git',
      path: outdir,
      servers: Object.fromEntries(ENVIRONMENTS.map(e => [e.name, e.server])),
    },
    flux: {
      appName: 'platform',
      gitRepository: 'platform-deploy',
      path: outdir,
      // The platform's Kustomization installing the Gateway API and Prometheus Operator CRDs the environments use.
      dependsOn: ['platform-crds'],
    },
  }, outdir);
}

if (require.main === module) main();
