/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/explicit-module-boundary-types -- mutations of loosely typed JSON fixtures */
type Json = any;

/**
 * Single-object fixtures for the admission differential test: a Pod spec that passes every
 * generated rule, and for each rule mutations that break it (and near misses that do not),
 * wrapped in each kind that carries a Pod template.
 */

/** A Pod spec passing every generated rule. */
export function goodPodSpec(): Json {
  return {
    securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: 'app', image: 'ghcr.io/acme/app:1.2.3', ports: [{ name: 'http', containerPort: 8080 }],
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      resources: { requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' }, limits: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' } },
      livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
      readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
    }],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
  };
}

/** A change to a Pod spec: `s` the spec, `c` its first container. */
export interface Mutation {
  readonly name: string;
  /** The rule the mutation breaks, or undefined for a near miss that breaks none. */
  readonly breaks?: string;
  /** The mutation breaks the rule in container "app" only (a container waiver covers it). */
  readonly inContainer?: boolean;
  readonly apply: (s: Json, c: Json) => void;
}

const sc = (c: Json) => (c.securityContext ??= {});

export const MUTATIONS: readonly Mutation[] = [
  { name: 'container runAsUser 0', breaks: 'SW-SEC-001', inContainer: true, apply: (_s, c) => { sc(c).runAsUser = 0; } },
  { name: 'Pod runAsGroup 0', breaks: 'SW-SEC-001', inContainer: true, apply: s => { s.securityContext.runAsGroup = 0; } },
  { name: 'adds SYS_ADMIN', breaks: 'SW-SEC-002', inContainer: true, apply: (_s, c) => { c.securityContext.capabilities.add = ['SYS_ADMIN']; } },
  { name: 'adds NET_BIND_SERVICE', apply: (_s, c) => { c.securityContext.capabilities.add = ['NET_BIND_SERVICE']; } },
  { name: 'Pod runAsUser 1000', breaks: 'SW-SEC-003', inContainer: true, apply: s => { s.securityContext.runAsUser = 1000; } },
  { name: 'container runAsGroup 10000', breaks: 'SW-SEC-003', inContainer: true, apply: (_s, c) => { sc(c).runAsGroup = 10000; } },
  { name: 'hostPath volume', breaks: 'SW-SEC-004', apply: s => { s.volumes.push({ name: 'host', hostPath: { path: '/var/run' } }); } },
  { name: 'hostNetwork', breaks: 'SW-SEC-005', apply: s => { s.hostNetwork = true; } },
  { name: 'hostPID', breaks: 'SW-SEC-005', apply: s => { s.hostPID = true; } },
  { name: 'hostIPC false', apply: s => { s.hostIPC = false; } },
  { name: 'privileged', breaks: 'SW-SEC-006', inContainer: true, apply: (_s, c) => { c.securityContext.privileged = true; } },
  { name: 'privileged false', apply: (_s, c) => { c.securityContext.privileged = false; } },
  { name: 'drops NET_RAW only', breaks: 'SW-SEC-007', inContainer: true, apply: (_s, c) => { c.securityContext.capabilities.drop = ['NET_RAW']; } },
  { name: 'no capabilities', breaks: 'SW-SEC-007', inContainer: true, apply: (_s, c) => { delete c.securityContext.capabilities; } },
  { name: 'hostPort', breaks: 'SW-SEC-008', inContainer: true, apply: (_s, c) => { c.ports[0].hostPort = 8080; } },
  { name: 'no seccomp anywhere', breaks: 'SW-SEC-009', inContainer: true, apply: s => { delete s.securityContext.seccompProfile; } },
  { name: 'Pod seccomp Unconfined', breaks: 'SW-SEC-009', apply: s => { s.securityContext.seccompProfile = { type: 'Unconfined' }; } },
  { name: 'container seccomp Unconfined', breaks: 'SW-SEC-009', inContainer: true, apply: (_s, c) => { c.securityContext.seccompProfile = { type: 'Unconfined' }; } },
  { name: 'seccomp on the container only', apply: (s, c) => { delete s.securityContext.seccompProfile; c.securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'p.json' } ; } },
  { name: 'runAsNonRoot false on the container', breaks: 'SW-SEC-010', inContainer: true, apply: (_s, c) => { c.securityContext.runAsNonRoot = false; } },
  { name: 'no runAsNonRoot', breaks: 'SW-SEC-010', inContainer: true, apply: s => { delete s.securityContext.runAsNonRoot; } },
  { name: 'allowPrivilegeEscalation true', breaks: 'SW-SEC-011', inContainer: true, apply: (_s, c) => { c.securityContext.allowPrivilegeEscalation = true; } },
  { name: 'no allowPrivilegeEscalation', breaks: 'SW-SEC-011', inContainer: true, apply: (_s, c) => { delete c.securityContext.allowPrivilegeEscalation; } },
  { name: 'writable root', breaks: 'SW-SEC-012', inContainer: true, apply: (_s, c) => { c.securityContext.readOnlyRootFilesystem = false; } },
  { name: 'procMount Unmasked', breaks: 'SW-SEC-014', inContainer: true, apply: (_s, c) => { c.securityContext.procMount = 'Unmasked'; } },
  { name: 'procMount Default', apply: (_s, c) => { c.securityContext.procMount = 'Default'; } },
  { name: 'SELinux type spc_t', breaks: 'SW-SEC-016', inContainer: true, apply: (_s, c) => { c.securityContext.seLinuxOptions = { type: 'spc_t' }; } },
  { name: 'Pod SELinux user', breaks: 'SW-SEC-016', apply: s => { s.securityContext.seLinuxOptions = { user: 'system_u' }; } },
  { name: 'SELinux level only', apply: s => { s.securityContext.seLinuxOptions = { level: 's0:c123,c456', type: 'container_t' }; } },
  { name: 'nfs volume', breaks: 'SW-SEC-017', apply: s => { s.volumes.push({ name: 'share', nfs: { server: 'nfs.example.com', path: '/share' } }); } },
  { name: 'configMap volume', apply: s => { s.volumes.push({ name: 'conf', configMap: { name: 'conf' } }); } },
  { name: 'no cpu limit', breaks: 'SW-RES-004', inContainer: true, apply: (_s, c) => { delete c.resources.limits.cpu; } },
  { name: 'no resources', breaks: 'SW-RES-004', inContainer: true, apply: (_s, c) => { delete c.resources; } },
  { name: 'memory limit above its request', breaks: 'SW-RES-002', inContainer: true, apply: (_s, c) => { c.resources.limits.memory = '256Mi'; } },
  { name: 'cpu limit as a number above its request', breaks: 'SW-RES-002', inContainer: true, apply: (_s, c) => { c.resources.requests.cpu = 0.5; c.resources.limits.cpu = 1; } },
  { name: 'init container cpu limit above its request', breaks: 'SW-RES-002', apply: (s, c) => { s.initContainers = [{ ...JSON.parse(JSON.stringify(c)), name: 'init', resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' } } }]; delete s.initContainers[0].livenessProbe; delete s.initContainers[0].readinessProbe; } },
  { name: 'cpu request 0.1 and limit 100m', apply: (_s, c) => { c.resources.requests.cpu = '0.1'; } },
  { name: 'memory request 1Gi and limit 1024Mi', apply: (_s, c) => { c.resources.requests.memory = '1Gi'; c.resources.limits.memory = '1024Mi'; } },
  { name: 'cpu request and limit 1, one a number', apply: (_s, c) => { c.resources.requests.cpu = 1; c.resources.limits.cpu = '1'; } },
  { name: 'cpu limit without a request (the request defaults to it)', apply: (_s, c) => { delete c.resources.requests.cpu; } },
  { name: 'memory request without a limit', breaks: 'SW-RES-004', inContainer: true, apply: (_s, c) => { delete c.resources.limits.memory; } },
  { name: 'cpu limit below its request (SW-RES-001, not SW-RES-002)', apply: (_s, c) => { c.resources.requests.cpu = '200m'; } },
  { name: 'no ephemeral-storage limit', breaks: 'SW-RES-005', inContainer: true, apply: (_s, c) => { delete c.resources.limits['ephemeral-storage']; } },
  { name: 'image without tag', breaks: 'SW-IMAGE-001', inContainer: true, apply: (_s, c) => { c.image = 'nginx'; } },
  { name: 'image :latest', breaks: 'SW-IMAGE-001', inContainer: true, apply: (_s, c) => { c.image = 'registry.example.com:5000/team/app:latest'; } },
  { name: 'image with a registry port, no tag', breaks: 'SW-IMAGE-001', inContainer: true, apply: (_s, c) => { c.image = 'localhost:5000/app'; } },
  { name: 'image by digest', apply: (_s, c) => { c.image = `nginx@sha256:${'a'.repeat(64)}`; } },
  { name: 'malformed image', breaks: 'SW-IMAGE-002', inContainer: true, apply: (_s, c) => { c.image = 'Acme/App'; } },
  { name: 'image with an underscore in a dotted first component (a bad registry host)', breaks: 'SW-IMAGE-002', inContainer: true, apply: (_s, c) => { c.image = 'my_registry.example/app:1.0'; } },
  { name: 'image with a space', breaks: 'SW-IMAGE-002', inContainer: true, apply: (_s, c) => { c.image = 'nginx: 1.25'; } },
  { name: 'image with a registry port and a tag', apply: (_s, c) => { c.image = 'localhost:5000/team/app:2.0.1'; } },
  { name: 'image of one dotted component', apply: (_s, c) => { c.image = 'my.app:1.0'; } },
  { name: 'init container without an image', breaks: 'SW-IMAGE-002', apply: (s, c) => { s.initContainers = [{ ...JSON.parse(JSON.stringify(c)), name: 'init', image: undefined }]; delete s.initContainers[0].image; } },
  { name: 'no liveness probe', breaks: 'SW-PROBE-006', inContainer: true, apply: (_s, c) => { delete c.livenessProbe; } },
  { name: 'liveness on a port name no container declares', breaks: 'SW-PROBE-003', inContainer: true, apply: (_s, c) => { c.livenessProbe.httpGet.port = 'metrics'; } },
  { name: 'startup probe on an undeclared TCP port name', breaks: 'SW-PROBE-003', inContainer: true, apply: (_s, c) => { c.startupProbe = { tcpSocket: { port: 'admin' } }; } },
  { name: 'liveness on an undeclared port number', apply: (_s, c) => { c.livenessProbe.httpGet.port = 9090; } },
  { name: 'liveness initialDelaySeconds 60 without a startup probe', breaks: 'SW-PROBE-007', inContainer: true, apply: (_s, c) => { c.livenessProbe.initialDelaySeconds = 60; } },
  { name: 'liveness initialDelaySeconds 60 with a startup probe', apply: (_s, c) => { c.livenessProbe.initialDelaySeconds = 60; c.startupProbe = { httpGet: { path: '/healthz', port: 'http' }, failureThreshold: 30 }; } },
  { name: 'liveness initialDelaySeconds 30', apply: (_s, c) => { c.livenessProbe.initialDelaySeconds = 30; } },
  { name: 'liveness equal to readiness', breaks: 'SW-PROBE-002', inContainer: true, apply: (_s, c) => { c.livenessProbe = { httpGet: { path: '/ready', port: 'http' } }; } },
  { name: 'liveness equal to readiness, port by number', breaks: 'SW-PROBE-002', inContainer: true, apply: (_s, c) => { c.livenessProbe = { httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, failureThreshold: 3 }; } },
  { name: 'liveness equal to readiness with a larger failureThreshold', apply: (_s, c) => { c.livenessProbe = { httpGet: { path: '/ready', port: 'http' }, failureThreshold: 6 }; } },
  { name: 'liveness equal to readiness but another header', apply: (_s, c) => { c.livenessProbe = { httpGet: { path: '/ready', port: 'http', httpHeaders: [{ name: 'X-Probe', value: 'live' }] } }; } },
  { name: 'exec liveness equal to readiness', breaks: 'SW-PROBE-002', inContainer: true, apply: (_s, c) => { c.livenessProbe = { exec: { command: ['/bin/check'] } }; c.readinessProbe = { exec: { command: ['/bin/check'] } }; } },
  { name: 'exec liveness differing from readiness', apply: (_s, c) => { c.livenessProbe = { exec: { command: ['/bin/check', 'live'] } }; c.readinessProbe = { exec: { command: ['/bin/check'] } }; } },
  { name: 'TCP liveness equal to readiness', breaks: 'SW-PROBE-008', inContainer: true, apply: (_s, c) => { c.livenessProbe = { tcpSocket: { port: 'http' } }; c.readinessProbe = { tcpSocket: { port: 8080 } }; } },
  { name: 'TCP liveness on another port than readiness', apply: (_s, c) => { c.ports.push({ name: 'admin', containerPort: 9000 }); c.livenessProbe = { tcpSocket: { port: 'admin' } }; c.readinessProbe = { tcpSocket: { port: 8080 } }; } },
  { name: 'env name with a dot', breaks: 'SW-ENV-006', inContainer: true, apply: (_s, c) => { c.env = [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'spring.profiles.active', value: 'prod' }]; } },
  { name: 'envFrom prefix with a dash', breaks: 'SW-ENV-006', inContainer: true, apply: (_s, c) => { c.envFrom = [{ prefix: 'APP-', secretRef: { name: 'app' } }]; } },
  { name: 'ephemeral container with a dotted env name', breaks: 'SW-ENV-006', apply: s => { s.ephemeralContainers = [{ name: 'debug', image: 'ghcr.io/acme/debug:1.0.0', env: [{ name: 'debug.level', value: '2' }], securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } }]; } },
  { name: 'env name starting with an underscore', apply: (_s, c) => { c.env = [{ name: '_PRIVATE_1', value: 'x' }]; } },
  { name: 'unsafe sysctl', breaks: 'SW-SEC-013', apply: s => { s.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }]; } },
  { name: 'safe sysctls (tcp_keepalive_time is safe from 1.29)', apply: s => { s.securityContext.sysctls = [{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'net.ipv4.tcp_keepalive_time', value: '600' }]; } },
  { name: 'container AppArmor Unconfined', breaks: 'SW-SEC-015', inContainer: true, apply: (_s, c) => { c.securityContext.appArmorProfile = { type: 'Unconfined' }; } },
  { name: 'Pod AppArmor Unconfined', breaks: 'SW-SEC-015', apply: s => { s.securityContext.appArmorProfile = { type: 'Unconfined' }; } },
  { name: 'container AppArmor Localhost', apply: (_s, c) => { c.securityContext.appArmorProfile = { type: 'Localhost', localhostProfile: 'k8s-apparmor-example' }; } },
  { name: 'command sh -c without exec', breaks: 'SW-SHUTDOWN-002', inContainer: true, apply: (_s, c) => { c.command = ['/bin/sh', '-c', 'app --serve']; } },
  { name: 'command bash -ec with exec', apply: (_s, c) => { c.command = ['bash', '-ec', 'exec app --serve']; } },
  { name: 'command sh with args -c script', breaks: 'SW-SHUTDOWN-002', inContainer: true, apply: (_s, c) => { c.command = ['sh']; c.args = ['-x', '-c', 'migrate && app']; } },
  { name: 'args -c script to a shell entrypoint', breaks: 'SW-SHUTDOWN-002', inContainer: true, apply: (_s, c) => { c.args = ['-c', 'app; echo done']; } },
  { name: 'args -c option value (postgres)', apply: (_s, c) => { c.args = ['-c', 'config_file=/etc/postgresql.conf']; } },
  { name: 'args sh -c exec', apply: (_s, c) => { c.args = ['sh', '-c', 'exec app']; } },
  { name: 'args sh -c without exec', breaks: 'SW-SHUTDOWN-002', inContainer: true, apply: (_s, c) => { c.args = ['sh', '-c', 'app']; } },
  { name: 'command shellcheck -c (not a shell)', apply: (_s, c) => { c.command = ['shellcheck', '-c', 'x']; } },
  { name: 'native sidecar under sh -c', breaks: 'SW-SHUTDOWN-002', apply: (s, c) => { s.initContainers = [{ ...JSON.parse(JSON.stringify(c)), name: 'proxy', restartPolicy: 'Always', command: ['sh', '-c', 'proxy'] }]; } },
  { name: 'init container under sh -c (runs to completion)', apply: (s, c) => { s.initContainers = [{ ...JSON.parse(JSON.stringify(c)), name: 'migrate', command: ['sh', '-c', 'migrate'] }]; } },
  { name: 'readiness exec sh -c with the command split into arguments', breaks: 'SW-CONTAINER-002', inContainer: true, apply: (_s, c) => { c.readinessProbe = { exec: { command: ['sh', '-c', 'test', '-e', '/tmp/ready'] } }; } },
  { name: 'readiness exec sh -c with the whole command as the script', apply: (_s, c) => { c.readinessProbe = { exec: { command: ['sh', '-c', 'test -e /tmp/ready'] } }; } },
  { name: 'liveness exec bash -ec reading $1', apply: (_s, c) => { c.livenessProbe = { exec: { command: ['/bin/bash', '-ec', 'test -e "$1"', 'probe', '/tmp/ready'] } }; } },
  { name: 'preStop sh -c script with a name for $0', apply: (_s, c) => { c.lifecycle = { preStop: { exec: { command: ['sh', '-c', 'sleep 5 && kill 1', 'prestop'] } } }; } },
  { name: 'postStart sh -c script with two unread arguments', breaks: 'SW-CONTAINER-002', inContainer: true, apply: (_s, c) => { c.lifecycle = { postStart: { exec: { command: ['sh', '-c', 'echo started; touch /tmp/up', 'a', 'b'] } } }; } },
  { name: 'startup exec one word padded with no-break spaces, then an argument', breaks: 'SW-CONTAINER-002', inContainer: true, apply: (_s, c) => { c.startupProbe = { exec: { command: ['sh', '-c', '\u00a0ready\u00a0', 'x'] }, failureThreshold: 30 }; } },
  { name: 'command bash with args -c -- one word and an argument', breaks: 'SW-CONTAINER-002', inContainer: true, apply: (_s, c) => { c.command = ['bash']; c.args = ['-c', '--', 'exec', 'app']; } },
  { name: 'args sh -x -c with a script and two unread arguments', breaks: 'SW-CONTAINER-002', inContainer: true, apply: (_s, c) => { c.args = ['/bin/sh', '-x', '-c', 'exec app --serve', 'one', 'two']; } },
  { name: 'command sh -c -- with a script and no argument', apply: (_s, c) => { c.command = ['sh', '-c', '--', 'exec app']; } },
  { name: 'command sh -c script starting with a dash', apply: (_s, c) => { c.command = ['sh', '-c', '-x', 'exec app']; } },
  { name: 'init container sh -c split into arguments', breaks: 'SW-CONTAINER-002', apply: (s, c) => { s.initContainers = [{ ...JSON.parse(JSON.stringify(c)), name: 'migrate', command: ['sh', '-c', 'migrate', '--all'] }]; delete s.initContainers[0].livenessProbe; delete s.initContainers[0].readinessProbe; } },
  { name: 'readiness probe with a host', breaks: 'SW-SEC-018', inContainer: true, apply: (_s, c) => { c.readinessProbe.httpGet.host = '10.0.0.1'; } },
  { name: 'preStop HTTP hook with a host', breaks: 'SW-SEC-018', inContainer: true, apply: (_s, c) => { c.lifecycle = { preStop: { httpGet: { path: '/drain', port: 8080, host: 'drain.example.com' } } }; } },
  { name: 'TCP liveness on localhost without hostNetwork', breaks: 'SW-SEC-018', inContainer: true, apply: (_s, c) => { c.livenessProbe = { tcpSocket: { port: 8080, host: 'localhost' } }; } },
  { name: 'readiness probe with an empty host', apply: (_s, c) => { c.readinessProbe.httpGet.host = ''; } },
  { name: 'hostNetwork agent probed on 127.0.0.1 (SW-SEC-018 spares it)', breaks: 'SW-SEC-005', apply: (s, c) => { s.hostNetwork = true; c.livenessProbe.httpGet.host = '127.0.0.1'; c.readinessProbe.httpGet.host = 'LOCALHOST'; } },
  { name: 'hostNetwork agent probed on another host', breaks: 'SW-SEC-018', inContainer: true, apply: (s, c) => { s.hostNetwork = true; c.livenessProbe.httpGet.host = '127.0.0.1.example.com'; } },
  { name: 'emptyDir without sizeLimit', breaks: 'SW-VOL-002', apply: s => { s.volumes[0].emptyDir = {}; } },
  { name: 'nodeName', breaks: 'SW-SCHED-002', apply: s => { s.nodeName = 'node-1'; } },
  { name: 'empty nodeName', apply: s => { s.nodeName = ''; } },
  { name: 'memory emptyDir above the memory limit of the container mounting it', breaks: 'SW-VOL-003', apply: (s, c) => { s.volumes.push({ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } }); c.volumeMounts = [{ name: 'shm', mountPath: '/dev/shm' }]; } },
  { name: 'memory emptyDir of 0.125Gi, the container\'s limit of 128Mi', apply: (s, c) => { s.volumes.push({ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '0.125Gi' } }); c.volumeMounts = [{ name: 'shm', mountPath: '/dev/shm' }]; } },
  { name: 'memory emptyDir above a limit, mounted by no container', apply: s => { s.volumes.push({ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } }); } },
  { name: 'disk emptyDir above the memory limit', apply: (s, c) => { s.volumes.push({ name: 'cache', emptyDir: { sizeLimit: '1Gi' } }); c.volumeMounts = [{ name: 'cache', mountPath: '/cache' }]; } },
  { name: 'init container mounting a memory emptyDir above its memory limit', breaks: 'SW-VOL-003', apply: (s, c) => { s.volumes.push({ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '1G' } }); s.initContainers = [{ ...JSON.parse(JSON.stringify(c)), name: 'init', volumeMounts: [{ name: 'shm', mountPath: '/dev/shm' }] }]; } },
  { name: 'init container running as root', breaks: 'SW-SEC-001', inContainer: false, apply: (s, c) => { s.initContainers = [{ ...JSON.parse(JSON.stringify(c)), name: 'init', securityContext: { ...c.securityContext, runAsUser: 0 } }]; } },
];

/** A podFailurePolicy under which node drains do not count toward backoffLimit (SW-JOB-005). */
const IGNORE_DISRUPTIONS = { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] };

/** `spec` wrapped in `kind` (Pods are owned by a ReplicaSet unless `bare`). */
export function wrap(kind: string, spec: Json, annotations: Record<string, string> = {}): Json {
  const metadata = { name: 'web', namespace: 'shop', ...(Object.keys(annotations).length ? { annotations } : {}) };
  const labels = { 'app': 'web', 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' };
  const template = { metadata: { labels }, spec };
  const selector = { matchLabels: { app: 'web' } };
  switch (kind) {
    case 'Pod': return { apiVersion: 'v1', kind, metadata: { ...metadata, labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: '1', controller: true }] }, spec };
    case 'PodTemplate': return { apiVersion: 'v1', kind, metadata, template };
    case 'CronJob': return { apiVersion: 'batch/v1', kind, metadata, spec: { schedule: '0 3 * * *', startingDeadlineSeconds: 300, jobTemplate: { spec: { podFailurePolicy: IGNORE_DISRUPTIONS, template: { ...template, spec: { ...spec, restartPolicy: 'Never' } } } } } };
    case 'Job': return { apiVersion: 'batch/v1', kind, metadata, spec: { ttlSecondsAfterFinished: 600, podFailurePolicy: IGNORE_DISRUPTIONS, template: { ...template, spec: { ...spec, restartPolicy: 'Never' } } } };
    case 'ReplicationController': return { apiVersion: 'v1', kind, metadata, spec: { replicas: 2, selector: { app: 'web' }, template } };
    default: return { apiVersion: 'apps/v1', kind, metadata, spec: { replicas: 2, selector, template, ...(kind === 'StatefulSet' ? { serviceName: 'web' } : {}) } };
  }
}

/** Kinds every mutation is wrapped in. */
export const TEMPLATE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Pod', 'PodTemplate'];

/** A RoleBinding or ClusterRoleBinding of `roleKind` `role` to `subjects`. */
function binding(kind: string, roleKind: string, role: string, subjects: Json[]): Json {
  const metadata = kind === 'RoleBinding' ? { name: 'grant', namespace: 'shop' } : { name: 'grant' };
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: role }, subjects };
}

/** A Role or ClusterRole with `rules`. */
function role(kind: string, rules: Json[]): Json {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: kind === 'Role' ? { name: 'r', namespace: 'shop' } : { name: 'r' }, rules };
}

/** The good Pod spec in `kind`, with `annotations` on its Pods (a Pod's own). */
function withTemplateAnnotations(kind: string, annotations: Record<string, string>): Json {
  const o = wrap(kind, goodPodSpec());
  const meta = kind === 'Pod' ? o.metadata : kind === 'CronJob' ? o.spec.jobTemplate.spec.template.metadata : kind === 'PodTemplate' ? o.template.metadata : o.spec.template.metadata;
  meta.annotations = { ...meta.annotations, ...annotations };
  return o;
}

/** A Job (restartPolicy Never, cleaned up) with `podFailurePolicy`. */
function job(podFailurePolicy: Json): Json {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once', namespace: 'shop' }, spec: { ttlSecondsAfterFinished: 600, backoffLimit: 2, podFailurePolicy, template: { spec: { ...goodPodSpec(), restartPolicy: 'Never' } } } };
}

/** A VerticalPodAutoscaler of Deployment "web" (out of view) with `containerPolicies`, in `updateMode`. */
function vpa(containerPolicies: Json[], updateMode = 'Recreate'): Json {
  return {
    apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler', metadata: { name: 'web', namespace: 'shop' },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, updatePolicy: { updateMode }, resourcePolicy: { containerPolicies } },
  };
}

/** A containerPolicy bounding cpu and memory of `containerName`. */
const BOUNDED = (containerName: string): Json => ({ containerName, minAllowed: { cpu: '100m', memory: '128Mi' }, maxAllowed: { cpu: 2, memory: '1Gi' } });

/** The good Pod spec in `kind` with nodeName, and `annotations` on the object (a Pod's own). */
function placed(kind: string, annotations: Record<string, string>): Json {
  const o = wrap(kind, { ...goodPodSpec(), nodeName: 'node-1' });
  o.metadata.annotations = annotations;
  return o;
}

/** Objects of other kinds, good and bad. */
export const OTHER_OBJECTS: ReadonlyArray<{ readonly name: string; readonly object: Json }> = [
  { name: 'bare Pod', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare', namespace: 'shop' }, spec: goodPodSpec() } },
  { name: 'NodePort Service', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } } },
  { name: 'ClusterIP Service', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } } },
  { name: 'Ingress without TLS', object: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' }, spec: { rules: [{ host: 'shop.example.com' }] } } },
  { name: 'Job without ttlSecondsAfterFinished', object: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once', namespace: 'shop' }, spec: { backoffLimit: 2, template: { spec: { ...goodPodSpec(), restartPolicy: 'Never' } } } } },
  { name: 'Job with ttlSecondsAfterFinished', object: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once', namespace: 'shop' }, spec: { ttlSecondsAfterFinished: 600, backoffLimit: 2, template: { spec: { ...goodPodSpec(), restartPolicy: 'Never' } } } } },
  { name: 'CronJob without startingDeadlineSeconds', object: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'shop' }, spec: { schedule: '0 3 * * *', concurrencyPolicy: 'Forbid', jobTemplate: { spec: { template: { spec: { ...goodPodSpec(), restartPolicy: 'Never' } } } } } } },
  { name: 'CronJob with startingDeadlineSeconds', object: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'shop' }, spec: { schedule: '0 3 * * *', startingDeadlineSeconds: 300, concurrencyPolicy: 'Forbid', jobTemplate: { spec: { template: { spec: { ...goodPodSpec(), restartPolicy: 'Never' } } } } } } },
  { name: 'CronJob with a startingDeadlineSeconds under 10 (SW-CRON-005)', object: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'shop' }, spec: { schedule: '0 3 * * *', startingDeadlineSeconds: 5, concurrencyPolicy: 'Forbid', jobTemplate: { spec: { template: { spec: { ...goodPodSpec(), restartPolicy: 'Never' } } } } } } },
  { name: 'CronJob with startingDeadlineSeconds at the 10-second polling period', object: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'shop' }, spec: { schedule: '0 3 * * *', startingDeadlineSeconds: 10, concurrencyPolicy: 'Forbid', jobTemplate: { spec: { template: { spec: { ...goodPodSpec(), restartPolicy: 'Never' } } } } } } },
  { name: 'PodDisruptionBudget without unhealthyPodEvictionPolicy', object: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } } },
  { name: 'PodDisruptionBudget with AlwaysAllow', object: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' }, spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: { app: 'web' } } } } },
  { name: 'Namespace without Pod Security label', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'shop' } } } },
  { name: 'Namespace with an empty Pod Security label', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': '' } } } },
  { name: 'Namespace enforcing restricted', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } } },
  { name: 'Deployment without recommended labels', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: goodPodSpec() } } } },
  { name: 'hostPath PersistentVolume', object: { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'data' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: '/data' } } } },
  { name: 'CSI PersistentVolume', object: { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'data' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-1' } } } },
  { name: 'RoleBinding to the default ServiceAccount (SW-SA-003)', object: binding('RoleBinding', 'Role', 'reader', [{ kind: 'ServiceAccount', name: 'default', namespace: 'shop' }]) },
  { name: 'ClusterRoleBinding to the default ServiceAccount (SW-SA-003)', object: binding('ClusterRoleBinding', 'ClusterRole', 'reader', [{ kind: 'ServiceAccount', name: 'default', namespace: 'shop' }]) },
  { name: 'RoleBinding to its own ServiceAccount', object: binding('RoleBinding', 'Role', 'reader', [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }]) },
  { name: 'RoleBinding to a user named default', object: binding('RoleBinding', 'Role', 'reader', [{ kind: 'User', name: 'default', apiGroup: 'rbac.authorization.k8s.io' }]) },
  { name: 'ClusterRoleBinding of view to system:authenticated (SW-RBAC-007)', object: binding('ClusterRoleBinding', 'ClusterRole', 'view', [{ kind: 'Group', name: 'system:authenticated', apiGroup: 'rbac.authorization.k8s.io' }]) },
  { name: 'RoleBinding to system:anonymous (SW-RBAC-007)', object: binding('RoleBinding', 'Role', 'reader', [{ kind: 'User', name: 'system:anonymous', apiGroup: 'rbac.authorization.k8s.io' }]) },
  { name: 'RoleBinding to system:serviceaccounts (SW-RBAC-007)', object: binding('RoleBinding', 'ClusterRole', 'view', [{ kind: 'Group', name: 'system:serviceaccounts', apiGroup: 'rbac.authorization.k8s.io' }]) },
  { name: 'ClusterRoleBinding of system:discovery to system:authenticated', object: binding('ClusterRoleBinding', 'ClusterRole', 'system:discovery', [{ kind: 'Group', name: 'system:authenticated', apiGroup: 'rbac.authorization.k8s.io' }]) },
  { name: 'RoleBinding to the group system:serviceaccounts:shop', object: binding('RoleBinding', 'Role', 'reader', [{ kind: 'Group', name: 'system:serviceaccounts:shop', apiGroup: 'rbac.authorization.k8s.io' }]) },
  { name: 'Deployment with the alpha sysctls annotation on its Pods (SW-SYSCTL-004)', object: withTemplateAnnotations('Deployment', { 'security.alpha.kubernetes.io/sysctls': 'net.ipv4.tcp_syncookies=1' }) },
  { name: 'Pod with the alpha unsafe-sysctls annotation (SW-SYSCTL-004)', object: withTemplateAnnotations('Pod', { 'security.alpha.kubernetes.io/unsafe-sysctls': 'kernel.msgmax=65536' }) },
  { name: 'Deployment with an unconfined AppArmor annotation on its Pods (SW-SEC-015)', object: withTemplateAnnotations('Deployment', { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' }) },
  { name: 'Pod with a localhost AppArmor annotation', object: withTemplateAnnotations('Pod', { 'container.apparmor.security.beta.kubernetes.io/app': 'localhost/k8s-apparmor-example' }) },
  { name: 'CronJob with another annotation on its Pods', object: withTemplateAnnotations('CronJob', { 'example.com/sysctls': 'none' }) },
  { name: 'Role with escalate on roles (SW-RBAC-002)', object: role('Role', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate', 'get'] }]) },
  { name: 'ClusterRole binding any role (SW-RBAC-002)', object: role('ClusterRole', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] }]) },
  { name: 'ClusterRole binding named roles', object: role('ClusterRole', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['view'] }]) },
  { name: 'Role with pods/exec (SW-RBAC-002)', object: role('Role', [{ resources: ['pods/exec'], verbs: ['get'] }]) },
  { name: 'Role reading pods/log', object: role('Role', [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] }]) },
  { name: 'ClusterRole impersonating users (SW-RBAC-002)', object: role('ClusterRole', [{ apiGroups: [''], resources: ['users'], verbs: ['impersonate'] }]) },
  { name: 'Role minting tokens (SW-RBAC-002)', object: role('Role', [{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }]) },
  { name: 'Role minting tokens of one ServiceAccount', object: role('Role', [{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'], resourceNames: ['builder'] }]) },
  { name: 'Role patching ephemeral containers (SW-RBAC-002)', object: role('Role', [{ apiGroups: [''], resources: ['pods/ephemeralcontainers'], verbs: ['patch'] }]) },
  { name: 'ClusterRole approving client certificates (SW-RBAC-002)', object: role('ClusterRole', [{ apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'], resourceNames: ['kubernetes.io/kube-apiserver-client'] }]) },
  { name: 'ClusterRole approving kubelet serving certificates', object: role('ClusterRole', [{ apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'], resourceNames: ['kubernetes.io/kubelet-serving'] }]) },
  { name: 'Role with pods/exec in the apps group only', object: role('Role', [{ apiGroups: ['apps'], resources: ['pods/exec'], verbs: ['get'] }]) },
  { name: 'mirror Pod of a static Pod, on its node', object: placed('Pod', { 'kubernetes.io/config.mirror': '6f1b2c', 'kubernetes.io/config.source': 'file' }) },
  { name: 'Pod placed by nodeName (SW-SCHED-002)', object: placed('Pod', { 'example.com/owner': 'ops' }) },
  { name: 'Deployment with nodeName and the mirror annotation on itself (SW-SCHED-002)', object: placed('Deployment', { 'kubernetes.io/config.mirror': 'x' }) },
  { name: 'Role with a wildcard verb (SW-RBAC-001)', object: role('Role', [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }]) },
  { name: 'ClusterRole with every resource of a named group (SW-RBAC-001)', object: role('ClusterRole', [{ apiGroups: ['apps'], resources: ['*'], verbs: ['get'] }]) },
  { name: 'Role with every subresource of pods (SW-RBAC-001)', object: role('Role', [{ apiGroups: [''], resources: ['pods/*'], verbs: ['get'] }]) },
  { name: 'ClusterRole with a wildcard API group (SW-RBAC-001)', object: role('ClusterRole', [{ apiGroups: ['*'], resources: ['deployments'], verbs: ['get'] }]) },
  { name: 'Role granting nothing (SW-RBAC-001)', object: role('Role', [{ apiGroups: [''], resources: ['pods'], verbs: [] }]) },
  { name: 'Role updating every Secret (SW-RBAC-001)', object: role('Role', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'update'], resourceNames: [] }]) },
  { name: 'Role updating and deleting named Secrets', object: role('Role', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'update', 'delete'], resourceNames: ['web-tls'] }]) },
  { name: 'Role deleting a collection of named Secrets (SW-RBAC-001)', object: role('Role', [{ apiGroups: [''], resources: ['secrets'], verbs: ['deletecollection'], resourceNames: ['web-tls'] }]) },
  { name: 'Role listing Secrets (SW-RBAC-001)', object: role('Role', [{ resources: ['secrets'], verbs: ['list'] }]) },
  { name: 'Role creating Secrets and reading every Secret in another rule (SW-RBAC-001)', object: role('Role', [{ apiGroups: [''], resources: ['secrets'], verbs: ['create'] }, { apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get'] }]) },
  { name: 'Role creating Secrets and reading named ones', object: role('Role', [{ apiGroups: [''], resources: ['secrets'], verbs: ['create'] }, { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['made-by-me'] }]) },
  { name: 'Role updating every Secret of another API group', object: role('Role', [{ apiGroups: ['example.com'], resources: ['secrets'], verbs: ['update', 'list'] }]) },
  { name: 'ClusterRole reading /metrics', object: role('ClusterRole', [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]) },
  { name: 'ClusterRole with every method on /healthz (SW-RBAC-001)', object: role('ClusterRole', [{ nonResourceURLs: ['/healthz'], verbs: ['*'] }]) },
  { name: 'Role with a custom verb', object: role('Role', [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['frobnicate'] }]) },
  { name: 'Job ignoring DisruptionTarget', object: job({ rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }, { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] }) },
  { name: 'Job whose podFailurePolicy does not ignore DisruptionTarget (SW-JOB-005)', object: job({ rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] }) },
  { name: 'Job ignoring DisruptionTarget with status False (SW-JOB-005)', object: job({ rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'False' }] }] }) },
  { name: 'Job counting DisruptionTarget (SW-JOB-005)', object: job({ rules: [{ action: 'Count', onPodConditions: [{ type: 'DisruptionTarget' }] }] }) },
  { name: 'CronJob without a podFailurePolicy (SW-JOB-005)', object: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'shop' }, spec: { schedule: '0 3 * * *', startingDeadlineSeconds: 300, concurrencyPolicy: 'Forbid', jobTemplate: { spec: { backoffLimit: 2, template: { spec: { ...goodPodSpec(), restartPolicy: 'OnFailure' } } } } } } },
  { name: 'VerticalPodAutoscaler with a bounded "*" policy', object: vpa([BOUNDED('*')]) },
  { name: 'VerticalPodAutoscaler without a maxAllowed (SW-VPA-005)', object: vpa([{ containerName: '*', minAllowed: { cpu: '100m', memory: '128Mi' } }]) },
  { name: 'VerticalPodAutoscaler without a maxAllowed memory (SW-VPA-005)', object: vpa([{ containerName: '*', maxAllowed: { cpu: '1' } }]) },
  { name: 'VerticalPodAutoscaler without any policy (SW-VPA-005)', object: vpa([]) },
  { name: 'VerticalPodAutoscaler naming its container only (SW-VPA-005)', object: vpa([BOUNDED('app')]) },
  { name: 'VerticalPodAutoscaler with a maxAllowed that is not a quantity (SW-VPA-005)', object: vpa([{ containerName: '*', maxAllowed: { cpu: 'two', memory: '1Gi' } }]) },
  { name: 'VerticalPodAutoscaler that only recommends, without bounds', object: vpa([], 'Off') },
  { name: 'VerticalPodAutoscaler controlling memory only', object: vpa([{ containerName: '*', controlledResources: ['memory'], maxAllowed: { memory: '2Gi' } }]) },
  { name: 'VerticalPodAutoscaler leaving a container alone (mode Off)', object: vpa([BOUNDED('*'), { containerName: 'sidecar', mode: 'Off' }]) },
  { name: 'VerticalPodAutoscaler with a second, unbounded policy of one container (the first is in force)', object: vpa([BOUNDED('app'), { containerName: 'app' }, BOUNDED('*')]) },
  { name: 'VerticalPodAutoscaler with an unbounded policy of one container (SW-VPA-005)', object: vpa([{ containerName: 'app', maxAllowed: { memory: '1Gi' } }, BOUNDED('*')]) },
  { name: 'VerticalPodAutoscaler with minAllowed above maxAllowed (SW-VPA-004)', object: vpa([{ containerName: '*', minAllowed: { memory: '2Gi' }, maxAllowed: { cpu: 1, memory: '1Gi' } }]) },
  { name: 'VerticalPodAutoscaler with a cpu minAllowed above maxAllowed (SW-VPA-004)', object: vpa([{ containerName: '*', minAllowed: { cpu: 3 }, maxAllowed: { cpu: '2500m', memory: '1Gi' } }]) },
  { name: 'VerticalPodAutoscaler with minAllowed 1024Mi and maxAllowed 1Gi', object: vpa([{ containerName: '*', minAllowed: { memory: '1024Mi' }, maxAllowed: { cpu: 1, memory: '1Gi' } }]) },
  { name: 'VerticalPodAutoscaler with minAllowed above maxAllowed on a resource it does not control', object: vpa([{ containerName: '*', controlledResources: ['cpu'], minAllowed: { memory: '2Gi' }, maxAllowed: { cpu: 1, memory: '1Gi' } }]) },
  { name: 'Ingress with TLS', object: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' }, spec: { tls: [{ hosts: ['shop.example.com'], secretName: 'tls' }], rules: [{ host: 'shop.example.com' }] } } },
];
