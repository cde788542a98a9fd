import { Chart, Duration, Size, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AdmissionPolicies } from './admission/admission-policies';
import { Profile } from './rules/profile';
import { AppConfig } from './pod/app-config';
import { Environment, EnvironmentsProps, renderEnvironments } from './gitops/environments';
import { AlertSeverity } from './monitoring/alerts';
import { Gateway, ListenerProtocol } from './network/gateway';
import { Peer } from './network/peer';
import { HttpRoute } from './network/routes';
import { Env } from './pod/env';
import { EnvFrom } from './pod/env-from';
import { PostStart } from './pod/lifecycle';
import { Probe } from './pod/probe';
import { LabelRequirement, PodAffinityTerm } from './pod/scheduling';
import { PreStop } from './pod/shutdown';
import { AccessMode, HugePageSize, PodVolume } from './pod/volumes';
import { Waiver } from './rules/waiver';
import { PriorityClass } from './pod/priority-class';
import { readCluster } from './security/cluster-grants';
import { ServiceAccountRef } from './security/service-account';
import { PersistentVolume, PersistentVolumeSource } from './storage/persistent-volume';
import { PersistentVolumeClaim } from './storage/persistent-volume-claim';
import { PodSecurityLevel, Tenant } from './tenancy/tenant';
import { QuotaScope, ScopeSelectorOperator } from './tenancy/tenant-quota';
import { BarePod } from './workloads/bare-pod';
import { BatchJob } from './workloads/batch-job';
import { CronTask } from './workloads/cron-task';
import { CompletionMode, PodFailureAction, PodFailureRule } from './workloads/job-policies';
import { NodeAgent } from './workloads/node-agent';
import { StatefulService } from './workloads/stateful-service';
import { ExternalTrafficPolicy } from './workloads/service-exposure';
import { WebService } from './workloads/web-service';
import { Worker } from './workloads/worker';

/** One documented construct: the code a user writes and the kind whose key fields docs/constructs.md shows. */
export interface Example {
  readonly title: string;
  readonly code: string;
  readonly kind: string;
  /** Dotted paths of the main object shown as its key fields (containers[0] is the main container). */
  readonly fields: readonly string[];
  readonly build: (chart: Chart) => void;
}

const size = { cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) };

export const EXAMPLES: readonly Example[] = [
  {
    title: 'WebService', kind: 'Deployment',
    fields: ['spec.replicas', 'spec.strategy', 'spec.minReadySeconds', 'spec.template.spec.containers.0.readinessProbe', 'spec.template.spec.containers.0.lifecycle', 'spec.template.spec.containers.0.resources', 'spec.template.spec.terminationGracePeriodSeconds', 'spec.template.spec.topologySpreadConstraints.0'],
    code: "new WebService(chart, 'api', { name: 'api', image: 'ghcr.io/acme/api:1.4.2', port: 8080, size, replicas: 3, readiness: Probe.http('/ready'), liveness: Probe.http('/healthz'), allowFrom: [Peer.namespace('monitoring').tcp(8080)] });",
    build: c => new WebService(c, 'api', { name: 'api', image: 'ghcr.io/acme/api:1.4.2', port: 8080, size, replicas: 3, readiness: Probe.http('/ready'), liveness: Probe.http('/healthz'), allowFrom: [Peer.namespace('monitoring').tcp(8080)] }),
  },
  {
    title: 'WebService.addRoute (Gateway API)', kind: 'HTTPRoute',
    fields: ['spec.parentRefs', 'spec.hostnames', 'spec.rules'],
    code: "const gateway = Gateway.fromRef('infra', 'public', { sectionName: 'https' }); // once per app, or in the Tenant's gateways\nconst shop = new WebService(chart, 'shop', { name: 'shop', image: 'ghcr.io/acme/shop:2.1.0', port: 3000, size, readiness: Probe.http('/ready') });\nshop.addRoute({ gateway, hostnames: ['shop.example.com'], paths: ['/'], timeout: Duration.seconds(30) });",
    build: c => new WebService(c, 'shop', { name: 'shop', image: 'ghcr.io/acme/shop:2.1.0', port: 3000, size, readiness: Probe.http('/ready') })
      .addRoute({ gateway: Gateway.fromRef('infra', 'public', { sectionName: 'https' }), hostnames: ['shop.example.com'], paths: ['/'], timeout: Duration.seconds(30) }),
  },
  {
    title: 'Gateway', kind: 'Gateway',
    fields: ['spec.gatewayClassName', 'spec.listeners'],
    code: "new Gateway(platformTenant, 'public', { name: 'public', gatewayClassName: 'eg', listeners: [{ name: 'https', port: 443, protocol: ListenerProtocol.HTTPS, hostname: '*.example.com', tlsSecretName: 'wildcard-tls' }], allowRoutesFrom: ['shop'] });",
    build: c => new Gateway(c, 'public', { name: 'public', gatewayClassName: 'eg', listeners: [{ name: 'https', port: 443, protocol: ListenerProtocol.HTTPS, hostname: '*.example.com', tlsSecretName: 'wildcard-tls' }], allowRoutesFrom: ['shop'] }),
  },
  {
    title: 'HttpRoute: a route of your own admits the Gateway\'s proxies', kind: 'NetworkPolicy',
    fields: ['spec.ingress'],
    code: "// The Gateway's proxies (its data-plane Pods), declared once with the reference: Envoy Gateway runs them in its own\n"
      + "// namespace (the default is GEP-1762's gateway.networking.k8s.io/gateway-name label in the Gateway's namespace).\n"
      + "const gateway = Gateway.fromRef('infra', 'public', { sectionName: 'https', dataPlane: Peer.pods({ 'gateway.envoyproxy.io/owning-gateway-name': 'public' }, 'envoy-gateway-system') });\n"
      + "const store = new WebService(chart, 'store', { name: 'store', image: 'ghcr.io/acme/store:3.0.0', port: 8080, size, readiness: Probe.http('/ready'), liveness: Probe.http('/healthz') });\n"
      + "const next = new WebService(chart, 'store-next', { name: 'store-next', image: 'ghcr.io/acme/store:3.1.0', port: 8080, size, readiness: Probe.http('/ready'), liveness: Probe.http('/healthz') });\n"
      + "// Opens each backend's NetworkPolicy to the proxies on the port it serves (8080), and names them on the HTTPRoute\n"
      + '// (seaworthy.dev/front-door-peer) so `seaworthy audit` checks that path.\n'
      + "new HttpRoute(chart, 'storefront', { name: 'storefront', gateway, hostnames: ['store.example.com'], backends: [{ workload: store, weight: 90 }, { workload: next, weight: 10 }] });\n"
      + '// A route written as plain YAML opens nothing: add allowFrom: [gateway.dataPlane.tcp(8080)] to each backend and the\n'
      + '// same annotation to the route, or `seaworthy audit` reports SW-REACH-004 (requests time out at the proxy).',
    build: (c: Chart): void => {
      const gateway = Gateway.fromRef('infra', 'public', { sectionName: 'https', dataPlane: Peer.pods({ 'gateway.envoyproxy.io/owning-gateway-name': 'public' }, 'envoy-gateway-system') });
      const store = new WebService(c, 'store', { name: 'store', image: 'ghcr.io/acme/store:3.0.0', port: 8080, size, readiness: Probe.http('/ready'), liveness: Probe.http('/healthz') });
      const next = new WebService(c, 'store-next', { name: 'store-next', image: 'ghcr.io/acme/store:3.1.0', port: 8080, size, readiness: Probe.http('/ready'), liveness: Probe.http('/healthz') });
      new HttpRoute(c, 'storefront', { name: 'storefront', gateway, hostnames: ['store.example.com'], backends: [{ workload: store, weight: 90 }, { workload: next, weight: 10 }] });
    },
  },
  {
    title: 'WebService.addIngress (older path)', kind: 'Ingress',
    fields: ['metadata.annotations', 'spec.rules', 'spec.tls'],
    code: "new WebService(chart, 'legacy', { name: 'legacy', image: 'ghcr.io/acme/legacy:0.9.0', port: 8080, size, readiness: Probe.http('/ready') })\n  .addIngress({ host: 'legacy.example.com', ingressClassName: 'traefik', tlsSecretName: 'legacy-tls', controller: Peer.pods({ 'app.kubernetes.io/name': 'traefik' }, 'traefik') });",
    build: c => new WebService(c, 'legacy', { name: 'legacy', image: 'ghcr.io/acme/legacy:0.9.0', port: 8080, size, readiness: Probe.http('/ready') })
      .addIngress({ host: 'legacy.example.com', ingressClassName: 'traefik', tlsSecretName: 'legacy-tls', controller: Peer.pods({ 'app.kubernetes.io/name': 'traefik' }, 'traefik') }),
  },
  {
    title: 'Labels and annotations of your own', kind: 'Deployment',
    fields: ['metadata.labels', 'metadata.annotations', 'spec.selector', 'spec.template.metadata'],
    code: "new WebService(chart, 'orders', { name: 'orders', image: 'ghcr.io/acme/orders:3.2.0', port: 8080, size, readiness: Probe.http('/ready'), labels: { team: 'payments' }, annotations: { 'example.com/runbook': 'https://runbooks.example.com/orders' }, podAnnotations: { 'instrumentation.opentelemetry.io/inject-java': 'true' } });",
    build: c => new WebService(c, 'orders', { name: 'orders', image: 'ghcr.io/acme/orders:3.2.0', port: 8080, size, readiness: Probe.http('/ready'), labels: { team: 'payments' }, annotations: { 'example.com/runbook': 'https://runbooks.example.com/orders' }, podAnnotations: { 'instrumentation.opentelemetry.io/inject-java': 'true' } }),
  },
  {
    title: 'WebService.addCanary (release tracks)', kind: 'Deployment',
    fields: ['metadata.name', 'spec.replicas', 'spec.selector', 'spec.template.metadata.labels'],
    code: "const web = new WebService(chart, 'checkout', { name: 'checkout', image: 'ghcr.io/acme/checkout:1.4.2', port: 8080, size, replicas: 9, readiness: Probe.http('/ready'), releaseTracks: true });\nweb.addCanary({ image: 'ghcr.io/acme/checkout:1.5.0' }); // 1 of 10 Pods behind the Service: 10% of the traffic\n// blue/green instead: web.addTrack({ track: 'green', image: '...:2.0.0', replicas: 9 }); web.routeTo('green');",
    build: c => new WebService(c, 'checkout', { name: 'checkout', image: 'ghcr.io/acme/checkout:1.4.2', port: 8080, size, replicas: 9, readiness: Probe.http('/ready'), releaseTracks: true })
      .addCanary({ image: 'ghcr.io/acme/checkout:1.5.0' }),
  },
  {
    title: 'Worker', kind: 'Deployment',
    fields: ['spec.replicas', 'spec.template.spec.containers.0.livenessProbe', 'spec.template.spec.terminationGracePeriodSeconds', 'spec.template.spec.securityContext'],
    code: "new Worker(chart, 'consumer', { name: 'consumer', image: 'ghcr.io/acme/consumer:2.0.1', size, liveness: Probe.exec(['/app/healthcheck']) });",
    build: c => new Worker(c, 'consumer', { name: 'consumer', image: 'ghcr.io/acme/consumer:2.0.1', size, liveness: Probe.exec(['/app/healthcheck']) }),
  },
  {
    title: 'StatefulService', kind: 'StatefulSet',
    fields: ['spec.replicas', 'spec.serviceName', 'spec.podManagementPolicy', 'spec.updateStrategy', 'spec.persistentVolumeClaimRetentionPolicy', 'spec.volumeClaimTemplates', 'spec.template.spec.tolerations'],
    code: "new StatefulService(chart, 'db', { name: 'postgres', image: 'postgres:16.4', port: 5432, portName: 'postgres', size, readiness: Probe.exec(['pg_isready']), volumeClaims: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: Size.gibibytes(20) }] });",
    build: c => new StatefulService(c, 'db', { name: 'postgres', image: 'postgres:16.4', port: 5432, portName: 'postgres', size, readiness: Probe.exec(['pg_isready']), volumeClaims: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: Size.gibibytes(20) }] }),
  },
  {
    title: 'NodeAgent', kind: 'DaemonSet',
    fields: ['metadata.annotations', 'spec.updateStrategy', 'spec.template.spec.tolerations', 'spec.template.spec.volumes', 'spec.template.spec.containers.0.volumeMounts'],
    code: "new NodeAgent(chart, 'logs', { name: 'fluent-bit', image: 'cr.fluentbit.io/fluent/fluent-bit:3.1.9', size, tolerateAllTaints: true, mounts: [{ volume: PodVolume.hostPath('varlog', '/var/log'), path: '/var/log' }], waivers: [Waiver.of('SW-SEC-004', 'ships node logs; read-only')] });",
    build: c => new NodeAgent(c, 'logs', { name: 'fluent-bit', image: 'cr.fluentbit.io/fluent/fluent-bit:3.1.9', size, tolerateAllTaints: true, mounts: [{ volume: PodVolume.hostPath('varlog', '/var/log'), path: '/var/log' }], waivers: [Waiver.of('SW-SEC-004', 'ships node logs; read-only')] }),
  },
  {
    title: 'PersistentVolume, PersistentVolumeClaim and PodVolume.claim', kind: 'PersistentVolumeClaim',
    fields: ['metadata.annotations', 'spec'],
    code: "const pv = new PersistentVolume(chart, 'uploads-pv', { name: 'uploads', capacity: Size.gibibytes(50), accessModes: [AccessMode.READ_WRITE_MANY], source: PersistentVolumeSource.nfs('nfs.internal', '/exports/uploads') });\nconst uploads = new PersistentVolumeClaim(chart, 'uploads', { name: 'uploads', storage: Size.gibibytes(50), accessModes: [AccessMode.READ_WRITE_MANY], volumeName: pv.volumeName });\nnew WebService(chart, 'gallery', { name: 'gallery', image: 'ghcr.io/acme/gallery:3.2.0', port: 8080, size, readiness: Probe.http('/ready'), mounts: [{ volume: PodVolume.claim(uploads), path: '/srv/uploads' }] });",
    build: (c: Chart): void => {
      const pv = new PersistentVolume(c, 'uploads-pv', { name: 'uploads', capacity: Size.gibibytes(50), accessModes: [AccessMode.READ_WRITE_MANY], source: PersistentVolumeSource.nfs('nfs.internal', '/exports/uploads') });
      const uploads = new PersistentVolumeClaim(c, 'uploads', { name: 'uploads', storage: Size.gibibytes(50), accessModes: [AccessMode.READ_WRITE_MANY], volumeName: pv.volumeName });
      new WebService(c, 'gallery', { name: 'gallery', image: 'ghcr.io/acme/gallery:3.2.0', port: 8080, size, readiness: Probe.http('/ready'), mounts: [{ volume: PodVolume.claim(uploads), path: '/srv/uploads' }] });
    },
  },
  {
    title: 'NodeAgent.grantClusterWide (ClusterRole + ClusterRoleBinding)', kind: 'ClusterRole',
    fields: ['metadata.name', 'rules'],
    code: "new NodeAgent(chart, 'exporter', { name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.8.2', size })\n  .grantClusterWide(readCluster(['pods', 'nodes']));",
    build: c => new NodeAgent(c, 'exporter', { name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.8.2', size }).grantClusterWide(readCluster(['pods', 'nodes'])),
  },
  {
    title: 'An existing ServiceAccount (ServiceAccountRef.existing)', kind: 'Deployment',
    fields: ['spec.template.spec.serviceAccountName', 'spec.template.spec.automountServiceAccountToken'],
    code: "new Worker(chart, 'sync', { name: 'sync', image: 'ghcr.io/acme/sync:1.0.0', size, liveness: Probe.exec(['/app/healthcheck']), serviceAccount: ServiceAccountRef.existing('ops-sync') });",
    build: c => new Worker(c, 'sync', { name: 'sync', image: 'ghcr.io/acme/sync:1.0.0', size, liveness: Probe.exec(['/app/healthcheck']), serviceAccount: ServiceAccountRef.existing('ops-sync') }),
  },
  {
    title: 'BatchJob', kind: 'Job',
    fields: ['spec.completions', 'spec.parallelism', 'spec.backoffLimit', 'spec.activeDeadlineSeconds', 'spec.ttlSecondsAfterFinished', 'spec.podFailurePolicy', 'spec.template.spec.restartPolicy'],
    code: "new BatchJob(chart, 'migrate', { name: 'migrate', image: 'ghcr.io/acme/api:1.4.2', args: ['migrate'], size, activeDeadline: Duration.minutes(20) });",
    build: c => new BatchJob(c, 'migrate', { name: 'migrate', image: 'ghcr.io/acme/api:1.4.2', args: ['migrate'], size, activeDeadline: Duration.minutes(20) }),
  },
  {
    title: 'BatchJob (Indexed, pod failure policy)', kind: 'Job',
    fields: ['spec.completions', 'spec.parallelism', 'spec.completionMode', 'spec.backoffLimit', 'spec.podFailurePolicy'],
    code: "// Drains are ignored by default; exit code 42 (bad input) fails the Job at once. On 1.29+ add backoffLimitPerIndex,\n// podReplacementPolicy: PodReplacementPolicy.FAILED; on 1.31+ successPolicy: [{ succeededIndexes: [0] }].\nnew BatchJob(chart, 'shards', { name: 'reindex', image: 'ghcr.io/acme/reindex:2.0.0', size, completions: 8, parallelism: 4, completionMode: CompletionMode.INDEXED, podFailureRules: [PodFailureRule.exitCodes(PodFailureAction.FAIL_JOB, [42])] });",
    build: c => new BatchJob(c, 'shards', { name: 'reindex', image: 'ghcr.io/acme/reindex:2.0.0', size, completions: 8, parallelism: 4, completionMode: CompletionMode.INDEXED, podFailureRules: [PodFailureRule.exitCodes(PodFailureAction.FAIL_JOB, [42])] }),
  },
  {
    title: 'Init container with its own privileges', kind: 'Deployment',
    fields: ['metadata.annotations', 'spec.template.spec.securityContext', 'spec.template.spec.initContainers.0.securityContext', 'spec.template.spec.containers.0.securityContext'],
    code: "// Root with CHOWN for the init container only, under waivers naming it; the app stays non-root. Needs a Tenant with\n// podSecurity: PodSecurityLevel.BASELINE (PRIVILEGED for capabilities beyond baseline's list): \"restricted\" rejects the Pod (SW-SEC-020).\nconst data = PodVolume.emptyDir('data', { sizeLimit: Size.mebibytes(256) });\nnew WebService(chart, 'files', { name: 'files', image: 'ghcr.io/acme/files:1.0.0', port: 8080, size, readiness: Probe.http('/ready'), mounts: [{ volume: data, path: '/data' }],\n  initContainers: [{ name: 'fix-perms', image: 'busybox:1.36.1', size, command: ['chown', '-R', '10001:10001', '/data'], mounts: [{ volume: data, path: '/data' }], security: { runAsRoot: true, capabilities: [Capability.CHOWN] } }],\n  waivers: ['SW-SEC-001', 'SW-SEC-010', 'SW-SEC-002'].map(id => Waiver.of(id, 'chowns the data volume before the app starts', { container: 'fix-perms' })) });",
    build: (c: Chart): void => {
      const data = PodVolume.emptyDir('data', { sizeLimit: Size.mebibytes(256) });
      new WebService(c, 'files', {
        name: 'files', image: 'ghcr.io/acme/files:1.0.0', port: 8080, size, readiness: Probe.http('/ready'), mounts: [{ volume: data, path: '/data' }],
        initContainers: [{ name: 'fix-perms', image: 'busybox:1.36.1', size, command: ['chown', '-R', '10001:10001', '/data'], mounts: [{ volume: data, path: '/data' }], security: { runAsRoot: true, capabilities: [kplus.Capability.CHOWN] } }],
        waivers: ['SW-SEC-001', 'SW-SEC-010', 'SW-SEC-002'].map(id => Waiver.of(id, 'chowns the data volume before the app starts', { container: 'fix-perms' })),
      });
    },
  },
  {
    title: 'BarePod (static Pod)', kind: 'Pod',
    fields: ['metadata.name', 'spec.restartPolicy', 'spec.automountServiceAccountToken', 'spec.containers.0.env'],
    code: "// Written to static-pods/node-probe.yaml for the kubelet's manifest directory: no ServiceAccount, NetworkPolicy,\n// ConfigMap or Secret. (restartPolicy: Never/OnFailure for one-off Pods; stdin/tty only under Profile.DEVELOPMENT.)\nnew BarePod(chart, 'probe', { name: 'node-probe', image: 'ghcr.io/acme/node-probe:1.2.0', size, static: true, env: { NODE: Env.fromField(EnvFieldPaths.NODE_NAME) } });",
    build: c => new BarePod(c, 'probe', { name: 'node-probe', image: 'ghcr.io/acme/node-probe:1.2.0', size, static: true, env: { NODE: Env.fromField(kplus.EnvFieldPaths.NODE_NAME) } }),
  },
  {
    title: 'CronTask', kind: 'CronJob',
    fields: ['spec.schedule', 'spec.timeZone', 'spec.concurrencyPolicy', 'spec.startingDeadlineSeconds', 'spec.successfulJobsHistoryLimit', 'spec.failedJobsHistoryLimit', 'spec.jobTemplate.spec.backoffLimit'],
    code: "new CronTask(chart, 'report', { name: 'nightly-report', image: 'ghcr.io/acme/report:1.0.0', schedule: '30 2 * * *', timeZone: 'Europe/Berlin', size });",
    build: c => new CronTask(c, 'report', { name: 'nightly-report', image: 'ghcr.io/acme/report:1.0.0', schedule: '30 2 * * *', timeZone: 'Europe/Berlin', size }),
  },
  {
    title: 'Lifecycle hooks: postStart, the app\'s own drain command, sidecar hooks', kind: 'Deployment',
    fields: ['spec.template.spec.containers.0.lifecycle', 'spec.template.spec.initContainers.0.lifecycle', 'spec.template.spec.terminationGracePeriodSeconds'],
    code: "new WebService(chart, 'orders', { name: 'orders', image: 'ghcr.io/acme/orders:3.2.0', port: 8080, size, readiness: Probe.http('/ready'),\n  postStart: PostStart.exec(['/app/register']),\n  shutdown: { preStop: PreStop.exec(['/app/drain'], { takes: Duration.seconds(20) }) }, // grace = 20 + 15 drain + 10 sidecar + 5\n  sidecars: [{ name: 'proxy', image: 'ghcr.io/acme/proxy:2.1.0', size, command: ['/proxy'], preStop: PreStop.sleep(Duration.seconds(10)) }] });",
    build: c => new WebService(c, 'orders', {
      name: 'orders', image: 'ghcr.io/acme/orders:3.2.0', port: 8080, size, readiness: Probe.http('/ready'),
      postStart: PostStart.exec(['/app/register']),
      shutdown: { preStop: PreStop.exec(['/app/drain'], { takes: Duration.seconds(20) }) },
      sidecars: [{ name: 'proxy', image: 'ghcr.io/acme/proxy:2.1.0', size, command: ['/proxy'], preStop: PreStop.sleep(Duration.seconds(10)) }],
    }),
  },
  {
    title: 'Configuration: envFrom, volume items, immutable AppConfig', kind: 'Deployment',
    fields: ['spec.template.metadata.annotations', 'spec.template.spec.containers.0.envFrom', 'spec.template.spec.volumes'],
    code: "const config = new AppConfig(chart, 'cfg', { name: 'billing', data: { LOG_LEVEL: 'info', 'app.conf': 'listen 8080' }, immutable: true }); // named billing-<hash>\nnew WebService(chart, 'billing', { name: 'billing', image: 'ghcr.io/acme/billing:1.0.0', port: 8080, size, readiness: Probe.http('/ready'),\n  envFrom: [EnvFrom.configMap('shared-settings', { prefix: 'SHARED_' }), EnvFrom.secret('billing-credentials')],\n  env: { LOG_LEVEL: config.env('LOG_LEVEL') },\n  mounts: [{ volume: config.volume({ items: [{ key: 'app.conf', path: 'app.conf', mode: 0o440 }] }), path: '/etc/billing', readOnly: true }] });",
    build: (c: Chart): void => {
      const config = new AppConfig(c, 'cfg', { name: 'billing', data: { 'LOG_LEVEL': 'info', 'app.conf': 'listen 8080' }, immutable: true });
      new WebService(c, 'billing', {
        name: 'billing', image: 'ghcr.io/acme/billing:1.0.0', port: 8080, size, readiness: Probe.http('/ready'),
        envFrom: [EnvFrom.configMap('shared-settings', { prefix: 'SHARED_' }), EnvFrom.secret('billing-credentials')],
        env: { LOG_LEVEL: config.env('LOG_LEVEL') },
        mounts: [{ volume: config.volume({ items: [{ key: 'app.conf', path: 'app.conf', mode: 0o440 }] }), path: '/etc/billing', readOnly: true }],
      });
    },
  },
  {
    title: 'AppConfig with binary data (at most 1 MiB in all)', kind: 'ConfigMap',
    fields: ['metadata.name', 'data', 'binaryData', 'immutable'],
    code: "// Base64 as Kubernetes writes binaryData, e.g. fs.readFileSync('favicon.ico').toString('base64'); data and binaryData hold at most 1 MiB (SW-CONFIG-004).\nconst assets = new AppConfig(chart, 'assets', { name: 'storefront-assets', data: { 'robots.txt': 'User-agent: *\\nDisallow:\\n' }, binaryData: { 'favicon.ico': 'AAABAAEAAQEAAAEAIAAwAAAAFgAAAA==' }, immutable: true });\nnew WebService(chart, 'storefront', { name: 'storefront', image: 'ghcr.io/acme/storefront:2.0.0', port: 8080, size, readiness: Probe.http('/ready'), liveness: Probe.http('/healthz'),\n  mounts: [{ volume: assets.volume(), path: '/srv/static', readOnly: true }] });",
    build: (c: Chart): void => {
      const assets = new AppConfig(c, 'assets', { name: 'storefront-assets', data: { 'robots.txt': 'User-agent: *\nDisallow:\n' }, binaryData: { 'favicon.ico': 'AAABAAEAAQEAAAEAIAAwAAAAFgAAAA==' }, immutable: true });
      new WebService(c, 'storefront', {
        name: 'storefront', image: 'ghcr.io/acme/storefront:2.0.0', port: 8080, size, readiness: Probe.http('/ready'), liveness: Probe.http('/healthz'),
        mounts: [{ volume: assets.volume(), path: '/srv/static', readOnly: true }],
      });
    },
  },
  {
    title: 'A NodePort Service with a fixed node port', kind: 'Service',
    fields: ['spec.type', 'spec.externalTrafficPolicy', 'spec.ports'],
    code: "// 30000-32767, the API server's default node port range (SW-SVC-006; on a cluster with another range, waive it naming the range); one Service per node port in the app (SW-SVC-007).\nnew WebService(chart, 'kiosk', { name: 'kiosk', image: 'ghcr.io/acme/kiosk:1.2.0', port: 8080, size, readiness: Probe.http('/ready'), liveness: Probe.http('/healthz'),\n  serviceType: ServiceType.NODE_PORT, nodePort: 30080, externalTrafficPolicy: ExternalTrafficPolicy.LOCAL });",
    build: c => new WebService(c, 'kiosk', {
      name: 'kiosk', image: 'ghcr.io/acme/kiosk:1.2.0', port: 8080, size, readiness: Probe.http('/ready'), liveness: Probe.http('/healthz'),
      serviceType: kplus.ServiceType.NODE_PORT, nodePort: 30080, externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
    }),
  },
  {
    title: 'GOMAXPROCS and the JVM heap from the limits; a /tmp of your own', kind: 'Deployment',
    fields: ['spec.template.spec.containers.0.env', 'spec.template.spec.containers.0.volumeMounts', 'spec.template.spec.volumes'],
    code: '// GOMAXPROCS from limits.cpu through the Downward API (divisor 1: the kubelet rounds up, 500m gives 1); JAVA_TOOL_OPTIONS sizes the heap from the memory limit.\n'
      + '// A volume mounted at /tmp replaces the built-in 64Mi /tmp of that container (it must be writable: SW-VOL-005); the root filesystem stays read-only.\n'
      + "new Worker(chart, 'indexer', { name: 'indexer', image: 'ghcr.io/acme/indexer:3.4.0', size: { cpu: Cpu.millis(500), memory: Size.gibibytes(1), ephemeralStorage: Size.gibibytes(4) },\n"
      + "  liveness: Probe.exec(['/app/healthcheck']), runtime: { goMaxProcs: true },\n"
      + "  mounts: [{ volume: PodVolume.emptyDir('scratch', { sizeLimit: Size.gibibytes(2) }), path: '/tmp' }],\n"
      + "  sidecars: [{ name: 'search', image: 'ghcr.io/acme/search:8.1.0', size: { cpu: Cpu.units(1), memory: Size.gibibytes(2) }, runtime: { jvm: { maxRamPercentage: 75 } } }] });",
    build: c => new Worker(c, 'indexer', {
      name: 'indexer', image: 'ghcr.io/acme/indexer:3.4.0', size: { cpu: kplus.Cpu.millis(500), memory: Size.gibibytes(1), ephemeralStorage: Size.gibibytes(4) },
      liveness: Probe.exec(['/app/healthcheck']), runtime: { goMaxProcs: true },
      mounts: [{ volume: PodVolume.emptyDir('scratch', { sizeLimit: Size.gibibytes(2) }), path: '/tmp' }],
      sidecars: [{ name: 'search', image: 'ghcr.io/acme/search:8.1.0', size: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(2) }, runtime: { jvm: { maxRamPercentage: 75 } } }],
    }),
  },
  {
    title: 'Safe sysctls', kind: 'Deployment',
    fields: ['spec.template.spec.securityContext'],
    code: "// The target's safe set: tcp_keepalive_* from 1.29, tcp_rmem/wmem from 1.32. Unsafe ones (e.g. net.core.somaxconn) need Waiver.of('SW-SEC-013', …) and a Tenant with podSecurity: PodSecurityLevel.PRIVILEGED.\nnew WebService(chart, 'gateway', { name: 'gateway', image: 'ghcr.io/acme/gateway:4.0.0', port: 8080, size, readiness: Probe.http('/ready'),\n  security: { sysctls: { 'net.ipv4.ip_local_port_range': '1024 65000', 'net.ipv4.tcp_syncookies': '1' } } });",
    build: c => new WebService(c, 'gateway', {
      name: 'gateway', image: 'ghcr.io/acme/gateway:4.0.0', port: 8080, size, readiness: Probe.http('/ready'),
      security: { sysctls: { 'net.ipv4.ip_local_port_range': '1024 65000', 'net.ipv4.tcp_syncookies': '1' } },
    }),
  },
  {
    title: 'A GPU Worker on a dedicated node pool (extended resources)', kind: 'Deployment',
    fields: ['spec.template.spec.containers.0.resources', 'spec.template.spec.nodeSelector', 'spec.template.spec.tolerations'],
    code: "new Worker(chart, 'trainer', { name: 'trainer', image: 'ghcr.io/acme/trainer:3.1.0', size: { cpu: Cpu.units(4), memory: Size.gibibytes(16), extended: { 'nvidia.com/gpu': 1 } }, liveness: Probe.exec(['/app/healthcheck']),\n  scheduling: { dedicatedNodes: { key: 'nvidia.com/gpu', value: 'present', labelKey: 'cloud.google.com/gke-accelerator', labelValue: 'nvidia-l4' } } });",
    build: c => new Worker(c, 'trainer', {
      name: 'trainer', image: 'ghcr.io/acme/trainer:3.1.0', size: { cpu: kplus.Cpu.units(4), memory: Size.gibibytes(16), extended: { 'nvidia.com/gpu': 1 } }, liveness: Probe.exec(['/app/healthcheck']),
      scheduling: { dedicatedNodes: { key: 'nvidia.com/gpu', value: 'present', labelKey: 'cloud.google.com/gke-accelerator', labelValue: 'nvidia-l4' } },
    }),
  },
  {
    title: 'Huge pages', kind: 'Deployment',
    fields: ['spec.template.spec.containers.0.resources', 'spec.template.spec.containers.0.volumeMounts', 'spec.template.spec.volumes'],
    code: "new WebService(chart, 'dpdk', { name: 'packet-router', image: 'ghcr.io/acme/router:5.0.0', port: 8080, readiness: Probe.tcp(),\n  size: { cpu: Cpu.units(2), memory: Size.gibibytes(1), hugepages2Mi: Size.mebibytes(512) }, mounts: [{ volume: PodVolume.hugePages('hugepages', HugePageSize.TWO_MI), path: '/hugepages' }] });",
    build: c => new WebService(c, 'dpdk', {
      name: 'packet-router', image: 'ghcr.io/acme/router:5.0.0', port: 8080, readiness: Probe.tcp(),
      size: { cpu: kplus.Cpu.units(2), memory: Size.gibibytes(1), hugepages2Mi: Size.mebibytes(512) }, mounts: [{ volume: PodVolume.hugePages('hugepages', HugePageSize.TWO_MI), path: '/hugepages' }],
    }),
  },
  {
    title: 'Autoscaling on a custom metric, with behaviour', kind: 'HorizontalPodAutoscaler',
    fields: ['spec.minReplicas', 'spec.maxReplicas', 'spec.metrics', 'spec.behavior'],
    code: "new WebService(chart, 'search', { name: 'search', image: 'ghcr.io/acme/search:4.2.0', port: 8080, size, readiness: Probe.http('/ready'), autoscaling: { maxReplicas: 20,\n  metrics: [Metric.pods({ name: 'http_requests_per_second', target: MetricTarget.averageValue(100) })], // replaces the cpu 70% default\n  scaleUp: { policies: [{ replicas: Replicas.percent(50), duration: Duration.minutes(1) }] }, scaleDown: { stabilizationWindow: Duration.minutes(10) } } });",
    build: c => new WebService(c, 'search', {
      name: 'search', image: 'ghcr.io/acme/search:4.2.0', port: 8080, size, readiness: Probe.http('/ready'), autoscaling: {
        maxReplicas: 20,
        metrics: [kplus.Metric.pods({ name: 'http_requests_per_second', target: kplus.MetricTarget.averageValue(100) })],
        scaleUp: { policies: [{ replicas: kplus.Replicas.percent(50), duration: Duration.minutes(1) }] }, scaleDown: { stabilizationWindow: Duration.minutes(10) },
      },
    }),
  },
  {
    title: 'Vertical autoscaling that keeps Guaranteed QoS', kind: 'VerticalPodAutoscaler',
    fields: ['spec.targetRef', 'spec.updatePolicy', 'spec.resourcePolicy'],
    code: "new Worker(chart, 'thumbnailer', { name: 'thumbnailer', image: 'ghcr.io/acme/thumbnailer:3.1.0', size, liveness: Probe.exec(['/app/healthcheck']),\n  autoscaling: { vertical: { maxAllowed: { cpu: Cpu.units(1), memory: Size.gibibytes(1) } } } }); // requests = limits from size to maxAllowed, in place from 1.33",
    build: c => new Worker(c, 'thumbnailer', {
      name: 'thumbnailer', image: 'ghcr.io/acme/thumbnailer:3.1.0', size, liveness: Probe.exec(['/app/healthcheck']),
      autoscaling: { vertical: { maxAllowed: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(1) } } },
    }),
  },
  {
    title: 'Monitoring: a ServiceMonitor, the scraper admitted, default alerts', kind: 'ServiceMonitor',
    fields: ['metadata.annotations', 'spec'],
    code: '// The Prometheus Pods (kube-prometheus: app.kubernetes.io/name=prometheus in namespace monitoring) are admitted on 9090,\n'
      + '// the Pods lose their prometheus.io/* annotations (the ServiceMonitor is their one scrape declaration), and a\n'
      + '// PrometheusRule api-alerts holds PodNotReady, ContainerCrashLooping, RolloutStuck and BelowDisruptionBudget.\n'
      + "// Set the Prometheus once for a namespace with the Tenant's prometheus: Prometheus.of({ pods, selectorLabels }).\n"
      + "new WebService(chart, 'api', { name: 'api', image: 'ghcr.io/acme/api:1.4.2', port: 8080, extraPorts: [{ name: 'metrics', port: 9090 }], size, replicas: 3,\n"
      + "  readiness: Probe.http('/ready'), monitoring: { interval: Duration.seconds(30), alerts: { labels: { team: 'shop' } } } }); // or api.addMonitor({ ... })",
    build: c => new WebService(c, 'api', {
      name: 'api', image: 'ghcr.io/acme/api:1.4.2', port: 8080, extraPorts: [{ name: 'metrics', port: 9090 }], size, replicas: 3,
      readiness: Probe.http('/ready'), monitoring: { interval: Duration.seconds(30), alerts: { labels: { team: 'shop' } } },
    }),
  },
  {
    title: 'Monitoring a CronTask: alerts on failed runs and missed schedules', kind: 'PrometheusRule',
    fields: ['spec.groups'],
    code: '// Alerts only (scrape: false is the default for Jobs and CronJobs): kube-state-metrics has what they read.\n'
      + "new CronTask(chart, 'report', { name: 'nightly-report', image: 'ghcr.io/acme/reports:1.3.1', schedule: '30 2 * * *', size, monitoring: { alerts: { severity: AlertSeverity.CRITICAL } } });",
    build: c => new CronTask(c, 'report', { name: 'nightly-report', image: 'ghcr.io/acme/reports:1.3.1', schedule: '30 2 * * *', size, monitoring: { alerts: { severity: AlertSeverity.CRITICAL } } }),
  },
  {
    title: 'PriorityClass and scheduling expressions', kind: 'PriorityClass',
    fields: ['value', 'globalDefault', 'preemptionPolicy', 'description'],
    code: "const critical = new PriorityClass(chart, 'critical', { name: 'business-critical', value: 100000, description: 'Customer-facing APIs' }); // preemptionPolicy: Never by default\nnew WebService(chart, 'checkout', { name: 'checkout', image: 'ghcr.io/acme/checkout:2.0.0', port: 8080, size, readiness: Probe.http('/ready'), scheduling: { priorityClassName: critical.name,\n  podAffinity: [PodAffinityTerm.matching([LabelRequirement.in('app.kubernetes.io/name', ['cart', 'payments'])], { weight: 50 })] } });",
    build: (c: Chart): void => {
      const critical = new PriorityClass(c, 'critical', { name: 'business-critical', value: 100000, description: 'Customer-facing APIs' });
      new WebService(c, 'checkout', {
        name: 'checkout', image: 'ghcr.io/acme/checkout:2.0.0', port: 8080, size, readiness: Probe.http('/ready'),
        scheduling: { priorityClassName: critical.name, podAffinity: [PodAffinityTerm.matching([LabelRequirement.in('app.kubernetes.io/name', ['cart', 'payments'])], { weight: 50 })] },
      });
    },
  },
  {
    title: 'AdmissionPolicies: the same rules at the cluster\'s door', kind: 'ValidatingAdmissionPolicy',
    fields: ['metadata.name', 'spec.failurePolicy', 'spec.validations.0.message'],
    code: "// In the platform team's chart: one ValidatingAdmissionPolicy per rule, bound per namespace profile (label seaworthy.dev/profile).\n"
      + "new AdmissionPolicies(chart, 'rules', { profile: Profile.PRODUCTION, rules: ['SW-SEC-006'] }); // unlabelled namespaces: production",
    build: c => new AdmissionPolicies(c, 'rules', { profile: Profile.PRODUCTION, rules: ['SW-SEC-006'] }),
  },
];

const FLUX_EXAMPLE_CODE = 'writeEnvironments({\n'
  + "  environments: [{ name: 'prod' }],\n"
  + "  build: app => new WebService(new Tenant(app, 'shop', { name: 'shop' }), 'api', { name: 'api', image: 'ghcr.io/acme/api:1.4.2', port: 8080, size, replicas: 3, readiness: Probe.http('/ready') }),\n"
  + "  flux: { appName: 'shop', gitRepository: 'shop-deploy', dependsOn: ['platform-crds'] }, // beside or instead of argoCd\n"
  + "}, 'dist');";

/** The Flux example: one environment, rendered as `writeEnvironments` would write it. */
const FLUX_EXAMPLE: EnvironmentsProps<Environment> = {
  environments: [{ name: 'prod' }],
  build: app => new WebService(new Tenant(app, 'shop', { name: 'shop' }), 'api', { name: 'api', image: 'ghcr.io/acme/api:1.4.2', port: 8080, size, replicas: 3, readiness: Probe.http('/ready') }),
  flux: { appName: 'shop', gitRepository: 'shop-deploy', dependsOn: ['platform-crds'] },
};

/**
 * A Tenant with an unscoped quota and one for a priority class, object counts, and Pod and claim
 * bounds in its LimitRange (a Chart of its own, so apart from EXAMPLES, which build in a chart).
 */
export const TENANT_QUOTAS = {
  code: '// Each quota holds the rollout peak of the Pods its scopes match, as `seaworthy audit` counts them (SW-NS-002);\n'
    + "// every workload and claim of the namespace fits the LimitRange's Container, Pod and claim bounds (SW-NS-001).\n"
    + "new Tenant(app, 'batch', { name: 'batch',\n"
    + '  quota: { cpu: Cpu.units(16), memory: Size.gibibytes(32), pods: 40, configMaps: 20, secrets: 20, loadBalancers: 0, nodePorts: 0,\n'
    + "    objectCounts: { 'cronjobs.batch': 10 }, storageClasses: { fast: { storage: Size.gibibytes(200), claims: 4 } } },\n"
    + "  quotas: [{ name: 'batch-high', scopeSelector: [{ scopeName: QuotaScope.PRIORITY_CLASS, operator: ScopeSelectorOperator.IN, values: ['batch-high'] }],\n"
    + '    cpu: Cpu.units(4), memory: Size.gibibytes(8), pods: 8 }],\n'
    + '  limits: { pod: { maxCpu: Cpu.units(4), maxMemory: Size.gibibytes(8) }, claims: { minStorage: Size.gibibytes(1), maxStorage: Size.gibibytes(100) } } });',
  build: (scope: Construct): Tenant => new Tenant(scope, 'batch', {
    name: 'batch',
    quota: {
      cpu: kplus.Cpu.units(16), memory: Size.gibibytes(32), pods: 40, configMaps: 20, secrets: 20, loadBalancers: 0, nodePorts: 0,
      objectCounts: { 'cronjobs.batch': 10 }, storageClasses: { fast: { storage: Size.gibibytes(200), claims: 4 } },
    },
    quotas: [{
      name: 'batch-high', scopeSelector: [{ scopeName: QuotaScope.PRIORITY_CLASS, operator: ScopeSelectorOperator.IN, values: ['batch-high'] }],
      cpu: kplus.Cpu.units(4), memory: Size.gibibytes(8), pods: 8,
    }],
    limits: { pod: { maxCpu: kplus.Cpu.units(4), maxMemory: Size.gibibytes(8) }, claims: { minStorage: Size.gibibytes(1), maxStorage: Size.gibibytes(100) } },
  }),
} as const;

/**
 * docs/constructs.md: for each construct, the code, the key fields of its main object, and every
 * object it synthesizes.
 */
export function renderConstructsDoc(): string {
  const out = ['# What each construct produces', '', '<!-- Generated by `npm run docs`. Do not edit by hand. -->', '',
    'Each example uses `const size = { cpu: Cpu.millis(250), memory: Size.mebibytes(256) }` in a Chart with namespace `demo`.', ''];
  for (const e of EXAMPLES) {
    const chart = new Chart(Testing.app(), 'demo', { namespace: 'demo' });
    e.build(chart);
    const objects = chart.toJson();
    const main = objects.find(o => o.kind === e.kind);
    out.push(`## ${e.title}`, '', '```ts', e.code, '```', '',
      `Key fields of the ${e.kind}:`, '', '```yaml', Yaml.stringify(pick(main, e.fields)).trimEnd(), '```', '',
      `Objects: ${objects.map(o => `${o.kind}/${o.metadata.name}`).join(', ')}.`, '',
      '<details><summary>Every object</summary>', '', '```yaml', Yaml.stringify(...objects).trimEnd(), '```', '', '</details>', '');
  }
  const tenant = new Tenant(Testing.app(), 'shop', { name: 'shop', podSecurity: PodSecurityLevel.RESTRICTED, quota: { cpu: kplus.Cpu.units(8), memory: Size.gibibytes(16) } });
  out.push('## Tenant', '', '```ts', "new Tenant(app, 'shop', { name: 'shop', quota: { cpu: Cpu.units(8), memory: Size.gibibytes(16) } });", '```', '', '```yaml', Yaml.stringify(...tenant.toJson()).trimEnd(), '```', '');
  const batch = TENANT_QUOTAS.build(Testing.app());
  out.push('## Tenant with several quotas, object counts, Pod and claim limits', '', '```ts', TENANT_QUOTAS.code, '```', '',
    'The LimitRange and the ResourceQuotas (the Namespace and the default-deny NetworkPolicy are as above):', '',
    '```yaml', Yaml.stringify(...batch.toJson().filter(o => o.kind === 'LimitRange' || o.kind === 'ResourceQuota')).trimEnd(), '```', '');
  out.push('## writeEnvironments with Flux', '', '```ts', FLUX_EXAMPLE_CODE, '```', '',
    'Writes `dist/prod/shop.k8s.yaml` and, for Flux, `dist/flux/shop-prod.yaml` (see [gitops.md](gitops.md#flux)):', '',
    '```yaml', renderEnvironments(FLUX_EXAMPLE).get('flux/shop-prod.yaml')!.trimEnd(), '```', '');
  return out.join('\n');
}

/**
 * The parts of `obj` at the dotted `paths`, nested as in `obj`; a numeric segment keeps that one
 * array element (shown as the array's only item).
 */
function pick(obj: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of paths) {
    const keys = p.split('.');
    let src: unknown = obj;
    for (const k of keys) src = (src as Record<string, unknown> | undefined)?.[k];
    if (src === undefined) continue;
    let dst: Record<string, unknown> | unknown[] = out;
    keys.forEach((k, i) => {
      const slot = Array.isArray(dst) ? 0 : k;
      const last = i === keys.length - 1;
      const container = dst as Record<string | number, unknown>;
      if (last) {
        container[slot] = src;
      } else {
        container[slot] ??= /^\d+$/.test(keys[i + 1]) ? [] : {};
        dst = container[slot] as Record<string, unknown> | unknown[];
      }
    });
  }
  return out;
}
